import { GongjikError } from '@gongjik/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, CertificatePolicies } from '@peculiar/asn1-x509';
import { toHex } from './bytes.ts';
import { type CertificateClass, type Classification, classifyCertificate } from './classify.ts';
import { type DistinguishedName, readName } from './dn.ts';
import { type KeyAlgorithm, keyAlgorithmOf } from './key-algorithm.ts';
import { extractHolderName } from './names.ts';
import { OID_EXT_BASIC_CONSTRAINTS, OID_EXT_CERTIFICATE_POLICIES } from './oids.ts';
import { type CertificateInput, parseCertificate } from './parse.ts';

export interface CertificateDescription {
  readonly class: CertificateClass;
  readonly classification: Classification;
  /** The holder's name from the subject CN; null for CA certificates and unreadable CNs. */
  readonly holderName: string | null;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** Serial number, lowercase hex without a sign byte. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Certificate policy OIDs in the order of the extension. */
  readonly policies: readonly string[];
  /** `rsa` | `ec` | `unknown` (e.g. KCDSA), with the OID and EC curve. */
  readonly keyAlgorithm: KeyAlgorithm['name'];
  readonly keyAlgorithmDetail: KeyAlgorithm;
  /** SHA-256 of the DER, lowercase hex. */
  readonly fingerprintSha256: string;
  readonly isCa: boolean;
  /** The certificate itself, DER. */
  readonly der: Uint8Array;
}

export interface DescribeOptions {
  /** WebCrypto (for the fingerprint); defaults to globalThis.crypto. */
  readonly crypto?: typeof globalThis.crypto;
}

function serialHex(serial: ArrayBuffer): string {
  let bytes = new Uint8Array(serial);
  while (bytes.byteLength > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return toHex(bytes);
}

/**
 * Everything a person or the login flow needs to know about one certificate (DER or PEM, ≤ 64 KiB):
 * class, holder name, names, serial, validity, policies, key algorithm, SHA-256 fingerprint.
 * Throws ERR_PKI_CERT_MALFORMED on anything that is not a certificate.
 */
export async function describeCertificate(
  input: CertificateInput,
  options: DescribeOptions = {},
): Promise<CertificateDescription> {
  const { der, cert } = parseCertificate(input);
  const tbs = cert.tbsCertificate;
  let policies: string[] = [];
  let isCa = false;
  try {
    for (const ext of tbs.extensions ?? []) {
      if (ext.extnID === OID_EXT_CERTIFICATE_POLICIES) {
        policies = Array.from(
          AsnConvert.parse(ext.extnValue, CertificatePolicies),
          (p) => p.policyIdentifier,
        );
      } else if (ext.extnID === OID_EXT_BASIC_CONSTRAINTS) {
        isCa = AsnConvert.parse(ext.extnValue, BasicConstraints).cA === true;
      }
    }
  } catch (err) {
    throw new GongjikError('ERR_PKI_CERT_MALFORMED', { reason: 'bad-extension' }, { cause: err });
  }
  const subject = readName(tbs.subject);
  const issuer = readName(tbs.issuer);
  const classification = classifyCertificate({ policies, issuer });
  let holderName: string | null = null;
  if (!isCa) {
    try {
      holderName = extractHolderName(subject.cn, classification.class);
    } catch {
      holderName = null;
    }
  }
  const crypto = options.crypto ?? globalThis.crypto;
  const fingerprint = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  const keyAlgorithm = keyAlgorithmOf(tbs.subjectPublicKeyInfo);
  return {
    class: classification.class,
    classification,
    holderName,
    subject,
    issuer,
    serial: serialHex(tbs.serialNumber),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    policies,
    keyAlgorithm: keyAlgorithm.name,
    keyAlgorithmDetail: keyAlgorithm,
    fingerprintSha256: toHex(fingerprint),
    isCa,
    der,
  };
}
