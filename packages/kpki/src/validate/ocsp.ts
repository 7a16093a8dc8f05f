import { GongjikError } from '@gongjik/errors';
import {
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  ResponseData,
  TBSRequest,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { type ParsedCertificate, parseCertificate } from './cert.ts';
import type { CryptoVerifier } from './crypto.ts';
import { children, content, equalBytes, fromHex, readTlv, readWhole, type Tlv, toHex } from './der.ts';
import { parseName } from './names.ts';

const SHA1 = '1.3.14.3.2.26';
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

export interface CertIdentity {
  readonly nameHash: Uint8Array;
  readonly keyHash: Uint8Array;
  /** Serial (normalised lower-case hex). */
  readonly serial: string;
}

export interface OcspAnswer {
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revokedAt?: Date;
}

function digestOf(crypto: CryptoVerifier): NonNullable<CryptoVerifier['digest']> {
  if (!crypto.digest)
    throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: 'SHA-1 digest (OCSP)' });
  return crypto.digest.bind(crypto);
}

/** The CertID hashes (SHA-1, as every OCSP responder accepts) of `cert` issued by `issuer`. */
export async function certIdentity(
  cert: ParsedCertificate,
  issuer: ParsedCertificate,
  crypto: CryptoVerifier,
): Promise<CertIdentity> {
  const digest = digestOf(crypto);
  return {
    nameHash: await digest('SHA-1', issuer.subjectDer),
    keyHash: await digest('SHA-1', issuer.publicKeyBits),
    serial: cert.serial,
  };
}

function serialBytes(hex: string): Uint8Array {
  const bytes = fromHex(hex.length % 2 ? `0${hex}` : hex);
  if (((bytes[0] as number) & 0x80) === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes, 1);
  return out;
}

/** A DER OCSPRequest for one certificate, built with @peculiar/asn1-ocsp (no nonce, so answers can be cached). */
export function buildOcspRequest(id: CertIdentity): Uint8Array {
  const reqCert = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(id.nameHash),
    issuerKeyHash: new OctetString(id.keyHash),
    serialNumber: serialBytes(id.serial).buffer as ArrayBuffer,
  });
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert })] }),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

export interface OcspCheckInput {
  readonly cert: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  readonly id: CertIdentity;
  readonly at: Date;
  readonly crypto: CryptoVerifier;
  /** Verifies a signature with the path's signature cache. */
  readonly verify: (
    algId: Uint8Array,
    spki: Uint8Array,
    signature: Uint8Array,
    data: Uint8Array,
  ) => Promise<boolean>;
  /** How far `thisUpdate` may lie after `at` (clock skew), in ms. */
  readonly skewMs: number;
}

function invalid(reason: string, cause?: unknown): GongjikError {
  return new GongjikError('ERR_PKI_OCSP_INVALID', { reason }, cause === undefined ? undefined : { cause });
}

/**
 * Checks an OCSP response (RFC 6960 §3.2): successful basic response, signed by the issuer or by a
 * responder certificate the issuer delegated (id-kp-OCSPSigning), a SingleResponse for our CertID,
 * thisUpdate ≤ at ≤ nextUpdate. Throws ERR_PKI_OCSP_INVALID otherwise.
 */
export async function checkOcspResponse(body: Uint8Array, input: OcspCheckInput): Promise<OcspAnswer> {
  let response: OCSPResponse;
  try {
    response = AsnConvert.parse(body, OCSPResponse);
  } catch (err) {
    throw invalid('unreadable response', err);
  }
  if (response.responseStatus !== OCSPResponseStatus.successful)
    throw invalid(`response status ${response.responseStatus}`);
  if (!response.responseBytes || response.responseBytes.responseType !== OCSP_BASIC)
    throw invalid('not a basic response');
  const basic = new Uint8Array(response.responseBytes.response.buffer);
  let tbs: Uint8Array;
  let sigAlg: Uint8Array;
  let signature: Uint8Array;
  let responderTlv: Tlv;
  const certs: ParsedCertificate[] = [];
  let data: ResponseData;
  try {
    const top = readWhole(basic);
    const [tbsTlv, algTlv, sigTlv, certsTlv] = children(basic, top);
    if (!tbsTlv || !algTlv || sigTlv?.tag !== 0x03) throw new Error('bad BasicOCSPResponse');
    tbs = basic.subarray(tbsTlv.start, tbsTlv.end);
    sigAlg = basic.subarray(algTlv.start, algTlv.end);
    signature = content(basic, sigTlv).subarray(1);
    if (certsTlv?.tag === 0xa0) {
      const seq = readTlv(basic, certsTlv.contentStart, certsTlv.end);
      for (const c of children(basic, seq)) certs.push(parseCertificate(basic.subarray(c.start, c.end)));
    }
    const tbsFields = children(basic, tbsTlv);
    const rid = tbsFields.find((f) => f.tag === 0xa1 || f.tag === 0xa2);
    if (!rid) throw new Error('no responderID');
    responderTlv = rid;
    data = AsnConvert.parse(tbs, ResponseData);
  } catch (err) {
    throw invalid('malformed basic response', err);
  }
  const digest = digestOf(input.crypto);
  const matchesResponder = async (c: ParsedCertificate): Promise<boolean> => {
    const inner = readTlv(basic, responderTlv.contentStart, responderTlv.end);
    if (responderTlv.tag === 0xa1) return parseName(basic, inner).key === c.subject.key;
    return equalBytes(content(basic, inner), await digest('SHA-1', c.publicKeyBits));
  };
  let signer: ParsedCertificate | undefined;
  if (await matchesResponder(input.issuer)) signer = input.issuer;
  else {
    for (const c of certs) {
      if (!(await matchesResponder(c))) continue;
      if (c.issuer.key !== input.issuer.subject.key) continue;
      if (!c.extKeyUsage?.includes(OCSP_SIGNING)) throw invalid('responder lacks id-kp-OCSPSigning');
      if (input.at < c.notBefore || input.at > c.notAfter)
        throw invalid('responder certificate outside its validity');
      if (!(await input.verify(c.signatureAlgorithm, input.issuer.spki, c.signature, c.tbs)))
        throw invalid('responder certificate not signed by the issuer');
      signer = c;
      break;
    }
  }
  if (!signer) throw invalid('unknown responder');
  if (!(await input.verify(sigAlg, signer.spki, signature, tbs))) throw invalid('bad response signature');

  const single = data.responses.find((r) => {
    const id = r.certID;
    if (id.hashAlgorithm.algorithm !== SHA1) return false;
    let serial = new Uint8Array(id.serialNumber);
    while (serial.length > 1 && serial[0] === 0) serial = serial.subarray(1);
    return (
      equalBytes(new Uint8Array(id.issuerNameHash.buffer), input.id.nameHash) &&
      equalBytes(new Uint8Array(id.issuerKeyHash.buffer), input.id.keyHash) &&
      toHex(serial) === input.id.serial
    );
  });
  if (!single) throw invalid('no answer for this certificate');
  if (single.thisUpdate.getTime() > input.at.getTime() + input.skewMs)
    throw invalid('thisUpdate in the future');
  if (single.nextUpdate && single.nextUpdate.getTime() < input.at.getTime())
    throw invalid('response expired');
  const base = {
    thisUpdate: single.thisUpdate,
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
  };
  if (single.certStatus.revoked)
    return { status: 'revoked', revokedAt: single.certStatus.revoked.revocationTime, ...base };
  if (single.certStatus.good !== undefined) return { status: 'good', ...base };
  return { status: 'unknown', ...base };
}
