import { GongjikError } from '@gongjik/errors';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { Certificate } from '@peculiar/asn1-x509';
import { equalBytes, own } from '../cert/bytes.ts';
import { parseCertificate } from '../cert/parse.ts';
import {
  CONTEXT,
  children,
  expect,
  is,
  malformed,
  type Node,
  oidOf,
  parseExact,
  primitiveBytes,
  TAG,
  timeOf,
  UNIVERSAL,
} from './asn1.ts';
import { issuerAndSerialOf } from './cert-parts.ts';
import {
  DIGESTS,
  ECDSA_WITH,
  OID_ATTR_CONTENT_TYPE,
  OID_ATTR_MESSAGE_DIGEST,
  OID_ATTR_SIGNING_TIME,
  OID_RSA_ENCRYPTION,
  OID_SIGNED_DATA,
  OID_SUBJECT_KEY_IDENTIFIER,
  RSA_WITH,
} from './cms-oids.ts';
import {
  cryptoOf,
  ecdsaDerToRaw,
  type HashName,
  importCertificateKey,
  schemeOfCertificate,
  type WebCrypto,
} from './webcrypto.ts';

/** Largest CMS we parse (a signature with a few certificates is a few KiB). */
export const MAX_CMS_BYTES = 1024 * 1024;
const MAX_CERTIFICATES = 16;
const MAX_SIGNERS = 8;
const MAX_ATTRIBUTES = 32;

export interface VerifiedSigner {
  readonly signerCertDer: Uint8Array;
  /** From the signingTime attribute; null when the signer did not include one. */
  readonly signingTime: Date | null;
  readonly digestAlgorithm: HashName;
}

export interface VerifiedCms extends VerifiedSigner {
  /** Every signer (the fields above repeat the first). */
  readonly signers: readonly VerifiedSigner[];
  /** All certificates carried in the SignedData, DER. */
  readonly certificates: readonly Uint8Array[];
}

interface EmbeddedCert {
  readonly der: Uint8Array;
  readonly cert: Certificate;
  readonly issuer: Uint8Array;
  readonly serial: Uint8Array;
}

function unsupported(algorithm: string): GongjikError {
  return new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm });
}

function subjectKeyIdentifierOf(cert: Certificate): Uint8Array | null {
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === OID_SUBJECT_KEY_IDENTIFIER);
  if (!ext) return null;
  try {
    return new Uint8Array(AsnConvert.parse(ext.extnValue, OctetString).buffer);
  } catch {
    return null;
  }
}

function findSigner(sid: Node, certs: readonly EmbeddedCert[]): EmbeddedCert {
  let found: EmbeddedCert | undefined;
  if (is(sid, UNIVERSAL, TAG.SEQUENCE)) {
    const [issuer, serial] = children(sid, 'bad-sid');
    if (!is(issuer, UNIVERSAL, TAG.SEQUENCE) || !is(serial, UNIVERSAL, TAG.INTEGER))
      throw malformed('bad-sid');
    found = certs.find(
      (c) =>
        equalBytes(c.issuer, issuer.valueBeforeDecodeView) &&
        equalBytes(c.serial, serial.valueBeforeDecodeView),
    );
  } else if (is(sid, CONTEXT, 0)) {
    const ski = primitiveBytes(sid, 'bad-sid');
    found = certs.find((c) => {
      const own = subjectKeyIdentifierOf(c.cert);
      return own !== null && equalBytes(own, ski);
    });
  } else {
    throw malformed('bad-sid');
  }
  if (!found) throw malformed('signer-certificate-missing');
  return found;
}

interface SignedAttributes {
  readonly contentType: string;
  readonly messageDigest: Uint8Array;
  readonly signingTime: Date | null;
}

function readSignedAttributes(node: Node): SignedAttributes {
  const attrs = children(node, 'bad-signed-attributes');
  if (attrs.length > MAX_ATTRIBUTES) throw malformed('too-many-attributes');
  const seen = new Set<string>();
  let contentType: string | null = null;
  let messageDigest: Uint8Array | null = null;
  let signingTime: Date | null = null;
  for (const attr of attrs) {
    const [typeNode, valuesNode] = children(
      expect(attr, UNIVERSAL, TAG.SEQUENCE, 'bad-attribute'),
      'bad-attribute',
    );
    const type = oidOf(typeNode, 'bad-attribute');
    const values = children(expect(valuesNode, UNIVERSAL, TAG.SET, 'bad-attribute'), 'bad-attribute');
    if (seen.has(type)) throw malformed('duplicate-attribute');
    seen.add(type);
    if (type === OID_ATTR_CONTENT_TYPE) {
      if (values.length !== 1) throw malformed('bad-content-type');
      contentType = oidOf(values[0], 'bad-content-type');
    } else if (type === OID_ATTR_MESSAGE_DIGEST) {
      if (values.length !== 1 || !is(values[0], UNIVERSAL, TAG.OCTET_STRING))
        throw malformed('bad-message-digest');
      messageDigest = primitiveBytes(values[0], 'bad-message-digest');
    } else if (type === OID_ATTR_SIGNING_TIME) {
      signingTime = values.length === 1 ? timeOf(values[0]) : null;
      if (!signingTime) throw malformed('bad-signing-time');
    }
  }
  if (contentType === null || messageDigest === null) throw malformed('missing-signed-attribute');
  return { contentType, messageDigest, signingTime };
}

async function verifySigner(
  crypto: WebCrypto,
  signerInfo: Node,
  eContentType: string,
  certs: readonly EmbeddedCert[],
  content: Uint8Array,
  digests: Map<HashName, Uint8Array>,
): Promise<VerifiedSigner> {
  const parts = children(expect(signerInfo, UNIVERSAL, TAG.SEQUENCE, 'bad-signer-info'), 'bad-signer-info');
  let i = 0;
  expect(parts[i++], UNIVERSAL, TAG.INTEGER, 'bad-signer-info');
  const sid = parts[i++];
  if (!sid) throw malformed('bad-signer-info');
  const digestOid = oidOf(
    children(expect(parts[i++], UNIVERSAL, TAG.SEQUENCE, 'bad-digest'), 'bad-digest')[0],
    'bad-digest',
  );
  const signedAttrsNode = is(parts[i], CONTEXT, 0) ? parts[i++] : undefined;
  const sigAlgParts = children(
    expect(parts[i++], UNIVERSAL, TAG.SEQUENCE, 'bad-signature-algorithm'),
    'bad-signature-algorithm',
  );
  const sigOid = oidOf(sigAlgParts[0], 'bad-signature-algorithm');
  const signatureValue = primitiveBytes(
    expect(parts[i++], UNIVERSAL, TAG.OCTET_STRING, 'bad-signature'),
    'bad-signature',
  );
  if (parts[i] !== undefined && !is(parts[i], CONTEXT, 1)) throw malformed('bad-signer-info');

  const hash = DIGESTS[digestOid];
  if (!hash) throw unsupported(digestOid);
  const signer = findSigner(sid, certs);

  let signedBytes: Uint8Array = content;
  let attributes: SignedAttributes | null = null;
  if (signedAttrsNode) {
    attributes = readSignedAttributes(signedAttrsNode);
    if (attributes.contentType !== eContentType) throw malformed('content-type-mismatch');
    // The signature covers the DER of the attributes with the SET OF tag, not the [0] tag.
    signedBytes = own(signedAttrsNode.valueBeforeDecodeView);
    signedBytes[0] = 0x31;
  }

  let scheme: ReturnType<typeof schemeOfCertificate>;
  let params: { name: 'RSASSA-PKCS1-v1_5' } | { name: 'ECDSA'; hash: HashName };
  let signature: Uint8Array | null = signatureValue;
  if (sigOid === OID_RSA_ENCRYPTION || RSA_WITH[sigOid]) {
    if (RSA_WITH[sigOid] && RSA_WITH[sigOid] !== hash) throw unsupported(sigOid);
    scheme = schemeOfCertificate(signer.cert, hash);
    if (scheme.family !== 'rsa') throw unsupported(sigOid);
    params = { name: 'RSASSA-PKCS1-v1_5' };
  } else if (ECDSA_WITH[sigOid]) {
    scheme = schemeOfCertificate(signer.cert, hash, ['P-256', 'P-384', 'P-521']);
    if (scheme.family !== 'ec') throw unsupported(sigOid);
    params = { name: 'ECDSA', hash: ECDSA_WITH[sigOid]! };
    signature = ecdsaDerToRaw(signatureValue, scheme.ecCoordinateBytes!);
  } else {
    throw unsupported(sigOid);
  }
  const key = await importCertificateKey(crypto, signer.cert, scheme);
  const valid =
    signature !== null && (await crypto.subtle.verify(params, key, own(signature), own(signedBytes)));
  if (!valid) throw new GongjikError('ERR_PKI_SIGNATURE_INVALID', {});

  if (attributes) {
    let digest = digests.get(hash);
    if (!digest) {
      digest = new Uint8Array(await crypto.subtle.digest(hash, own(content)));
      digests.set(hash, digest);
    }
    if (!equalBytes(digest, attributes.messageDigest))
      throw new GongjikError('ERR_PKI_CMS_CONTENT_MISMATCH', {});
  }
  return { signerCertDer: signer.der, signingTime: attributes?.signingTime ?? null, digestAlgorithm: hash };
}

/**
 * Verifies a detached CMS SignedData (DER or BER) over `content`. Every signer must verify.
 * Structure problems → ERR_PKI_CMS_MALFORMED; a document that is not the signed one →
 * ERR_PKI_CMS_CONTENT_MISMATCH; a bad signature → ERR_PKI_SIGNATURE_INVALID. Trust in the signer's
 * certificate is not decided here: validate `signerCertDer` with the path validator.
 */
export async function verifyCmsDetached(
  cmsDer: Uint8Array,
  content: Uint8Array,
  options: { readonly crypto?: WebCrypto } = {},
): Promise<VerifiedCms> {
  if (cmsDer.byteLength === 0 || cmsDer.byteLength > MAX_CMS_BYTES) throw malformed('size');
  const crypto = cryptoOf(options.crypto);
  const contentInfo = children(
    expect(parseExact(cmsDer, 'not-ber'), UNIVERSAL, TAG.SEQUENCE, 'not-content-info'),
    'not-content-info',
  );
  if (oidOf(contentInfo[0], 'not-content-info') !== OID_SIGNED_DATA) throw malformed('not-signed-data');
  const explicit = expect(contentInfo[1], CONTEXT, 0, 'not-signed-data');
  const signedData = expect(
    children(explicit, 'not-signed-data')[0],
    UNIVERSAL,
    TAG.SEQUENCE,
    'not-signed-data',
  );
  const parts = children(signedData, 'not-signed-data');
  let i = 0;
  expect(parts[i++], UNIVERSAL, TAG.INTEGER, 'bad-version');
  expect(parts[i++], UNIVERSAL, TAG.SET, 'bad-digest-algorithms');
  const encap = children(
    expect(parts[i++], UNIVERSAL, TAG.SEQUENCE, 'bad-encapsulated-content'),
    'bad-encapsulated-content',
  );
  const eContentType = oidOf(encap[0], 'bad-encapsulated-content');
  if (encap.length > 1) throw malformed('not-detached');

  const certs: EmbeddedCert[] = [];
  if (is(parts[i], CONTEXT, 0)) {
    const choices = children(parts[i++]!, 'bad-certificates');
    if (choices.length > MAX_CERTIFICATES) throw malformed('too-many-certificates');
    for (const choice of choices) {
      if (!is(choice, UNIVERSAL, TAG.SEQUENCE)) continue; // attribute and other certificate formats
      const der = own(choice.valueBeforeDecodeView);
      try {
        const { cert } = parseCertificate(der);
        const { issuer, serial } = issuerAndSerialOf(der);
        certs.push({ der, cert, issuer, serial });
      } catch (err) {
        throw malformed('bad-certificate', err);
      }
    }
  }
  if (is(parts[i], CONTEXT, 1)) i++; // crls: revocation is the validator's business
  const signerInfos = children(
    expect(parts[i++], UNIVERSAL, TAG.SET, 'bad-signer-infos'),
    'bad-signer-infos',
  );
  if (parts[i] !== undefined) throw malformed('trailing-fields');
  if (signerInfos.length === 0) throw malformed('no-signers');
  if (signerInfos.length > MAX_SIGNERS) throw malformed('too-many-signers');

  const digests = new Map<HashName, Uint8Array>();
  const signers: VerifiedSigner[] = [];
  for (const signerInfo of signerInfos) {
    signers.push(await verifySigner(crypto, signerInfo, eContentType, certs, content, digests));
  }
  return { ...signers[0]!, signers, certificates: certs.map((c) => c.der) };
}
