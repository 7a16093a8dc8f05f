import { GongjikError } from '@gongjik/errors';
import { compareBytes, own } from '../cert/bytes.ts';
import { parseCertificate } from '../cert/parse.ts';
import { issuerAndSerialOf } from './cert-parts.ts';
import {
  OID_ATTR_CONTENT_TYPE,
  OID_ATTR_MESSAGE_DIGEST,
  OID_ATTR_SIGNING_TIME,
  OID_DATA,
  OID_ECDSA_WITH_SHA256,
  OID_RSA_ENCRYPTION,
  OID_SHA256,
  OID_SIGNED_DATA,
} from './cms-oids.ts';
import { nullValue, octets, oid, seq, set, smallInt, time, tlv } from './der.ts';
import {
  cryptoOf,
  ecdsaRawToDer,
  importCertificateKey,
  schemeOfCertificate,
  type WebCrypto,
  type WebCryptoKey,
} from './webcrypto.ts';

export interface SignCmsInput {
  /** The document; it is not embedded (detached signature). */
  readonly content: Uint8Array;
  /** The signer's certificate (DER), embedded in the SignedData. */
  readonly certDer: Uint8Array;
  /** From importPrivateKey: RSA (RSASSA-PKCS1-v1_5) or ECDSA P-256. */
  readonly privateKey: WebCryptoKey;
  /** Goes into the signingTime attribute (inject the clock). */
  readonly signingTime: Date;
  readonly crypto?: WebCrypto;
}

function attribute(type: string, value: Uint8Array): Uint8Array<ArrayBuffer> {
  return seq(oid(type), set(value));
}

/**
 * Makes a detached CMS SignedData (RFC 5652) over `content`: SHA-256, signed attributes contentType,
 * signingTime and messageDigest, the signer's certificate included, signer named by issuer and serial.
 * Returns DER. The signature is checked against the certificate before returning, so a private key
 * that is not the certificate's gives ERR_PKI_KEY_CERT_MISMATCH rather than a useless signature.
 */
export async function signCmsDetached(input: SignCmsInput): Promise<Uint8Array<ArrayBuffer>> {
  const crypto = cryptoOf(input.crypto);
  const { der: certDer, cert } = parseCertificate(input.certDer);
  const scheme = schemeOfCertificate(cert, 'SHA-256', ['P-256']);
  const keyName = input.privateKey.algorithm.name;
  if (
    (scheme.family === 'rsa') !== (keyName === 'RSASSA-PKCS1-v1_5') ||
    (scheme.family === 'ec') !== (keyName === 'ECDSA')
  ) {
    throw new GongjikError('ERR_PKI_KEY_CERT_MISMATCH', {});
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', own(input.content)));
  const attributes = [
    attribute(OID_ATTR_CONTENT_TYPE, oid(OID_DATA)),
    attribute(OID_ATTR_SIGNING_TIME, time(input.signingTime)),
    attribute(OID_ATTR_MESSAGE_DIGEST, octets(digest)),
  ].sort(compareBytes); // DER: SET OF sorted by encoding
  const signedAttrs = set(...attributes);
  const params = scheme.family === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' };
  const raw = new Uint8Array(await crypto.subtle.sign(params, input.privateKey, signedAttrs));

  const publicKey = await importCertificateKey(crypto, cert, scheme);
  if (!(await crypto.subtle.verify(params, publicKey, raw, signedAttrs))) {
    throw new GongjikError('ERR_PKI_KEY_CERT_MISMATCH', {});
  }
  const signature = scheme.family === 'rsa' ? raw : ecdsaRawToDer(raw);
  const signatureAlgorithm =
    scheme.family === 'rsa' ? seq(oid(OID_RSA_ENCRYPTION), nullValue()) : seq(oid(OID_ECDSA_WITH_SHA256));
  const digestAlgorithm = seq(oid(OID_SHA256));
  const { issuer, serial } = issuerAndSerialOf(certDer);

  const signerInfo = seq(
    smallInt(1),
    seq(issuer, serial),
    digestAlgorithm,
    tlv(0xa0, ...attributes), // [0] IMPLICIT SET OF Attribute
    signatureAlgorithm,
    octets(signature),
  );
  const signedData = seq(
    smallInt(1),
    set(digestAlgorithm),
    seq(oid(OID_DATA)), // encapContentInfo without eContent: detached
    tlv(0xa0, certDer), // certificates [0] IMPLICIT
    set(signerInfo),
  );
  return seq(oid(OID_SIGNED_DATA), tlv(0xa0, signedData));
}
