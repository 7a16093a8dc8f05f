// The certificate checks of sign-up and login: describe (kpki), class (NPKI first), the challenge
// signature (kpki's node:crypto verifier, public key parsed once per certificate and cached by
// fingerprint) and RFC 5280 path validation with revocation through the process's one trust store.
// Refusal codes from kpki pass through unchanged.
import { createHash } from 'node:crypto';
import { GongjikError } from '@gongjik/errors';
import {
  type CertificateClass,
  type CertificateDescription,
  describeCertificate,
  parseCertificateForValidation,
  type SignatureAlgorithm,
} from '@gongjik/kpki';
import { nodeCrypto } from '@gongjik/kpki/node';
import type { TrustStore } from './trust-store.ts';

/** Longest signature looked at (RSA-8192). */
const MAX_SIGNATURE_BYTES = 1024;
const CACHE_SIZE = 10_000;

/** What the login and sign-up flows keep about a certificate, cached by its SHA-256 fingerprint. */
export interface InspectedCertificate {
  readonly fingerprint: string;
  readonly description: CertificateDescription;
  /** DER SubjectPublicKeyInfo, for the signature check */
  readonly spki: Uint8Array;
  readonly family: 'rsa' | 'ec' | 'unsupported';
}

export interface CertificateChecker {
  /** Parses and describes a certificate (DER), cached by fingerprint. ERR_PKI_CERT_MALFORMED. */
  inspect(der: Uint8Array): Promise<InspectedCertificate>;
  /**
   * Verifies the signature over the challenge message: RSASSA-PKCS1-v1_5 SHA-256, or ECDSA P-256
   * SHA-256 (r‖s or DER). ERR_PKI_SIGNATURE_INVALID, ERR_PKI_ALGORITHM_UNSUPPORTED.
   */
  verifySignature(cert: InspectedCertificate, message: Uint8Array, signature: Uint8Array): void;
  /** RFC 5280 path validation with revocation ('require') at `now`; kpki's ERR_PKI_* refusals. */
  validatePath(cert: InspectedCertificate, now: Date): Promise<void>;
  readonly trust: TrustStore;
}

/** The fingerprint the registrations are keyed by: SHA-256 of the DER, lowercase hex. */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * Refuses a certificate class for an account: NPKI first (ERR_PKI_NPKI_NOT_ACCEPTED, whose message
 * tells the user to use their agency's GPKI/EPKI certificate), special-purpose outside
 * institutional mailboxes and unknown classes (ERR_PKI_CLASS_NOT_ACCEPTED). `institutional`
 * undefined means "not known yet": special-purpose passes, to be checked once the account is known.
 */
export function assertCertificateClass(cls: CertificateClass, institutional: boolean | undefined): void {
  switch (cls) {
    case 'npki':
      throw new GongjikError('ERR_PKI_NPKI_NOT_ACCEPTED', { class: cls });
    case 'gpki-personal':
    case 'epki-personal':
      return;
    case 'gpki-special':
      if (institutional !== false) return;
      throw new GongjikError('ERR_PKI_CLASS_NOT_ACCEPTED', { class: cls });
    default:
      throw new GongjikError('ERR_PKI_CLASS_NOT_ACCEPTED', { class: 'unknown' });
  }
}

/** DER ECDSA-Sig-Value from r‖s (P-256: 64 bytes). */
function rawEcdsaToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return (v[0] as number) & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, half)), ...int(raw.subarray(half))];
  return new Uint8Array([0x30, body.length, ...body]);
}

const RSA_SHA256: SignatureAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const ECDSA_SHA256: SignatureAlgorithm = { name: 'ECDSA', hash: 'SHA-256' };

export function createCertificateChecker(trust: TrustStore): CertificateChecker {
  const cache = new Map<string, Promise<InspectedCertificate>>();

  const inspectUncached = async (der: Uint8Array, fingerprint: string): Promise<InspectedCertificate> => {
    const description = await describeCertificate(der);
    const parsed = parseCertificateForValidation(description.der);
    const detail = description.keyAlgorithmDetail;
    const family =
      description.keyAlgorithm === 'rsa'
        ? 'rsa'
        : description.keyAlgorithm === 'ec' && detail.namedCurve === 'P-256'
          ? 'ec'
          : 'unsupported';
    return { fingerprint, description, spki: parsed.spki, family };
  };

  return {
    trust,
    inspect(der) {
      const fingerprint = certificateFingerprint(der);
      let p = cache.get(fingerprint);
      if (p) {
        // keep recently used entries at the end (LRU)
        cache.delete(fingerprint);
        cache.set(fingerprint, p);
        return p;
      }
      p = inspectUncached(der, fingerprint);
      p.catch(() => cache.delete(fingerprint));
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(fingerprint, p);
      return p;
    },
    verifySignature(cert, message, signature) {
      if (cert.family === 'unsupported') {
        throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', {
          algorithm: cert.description.keyAlgorithmDetail.oid,
        });
      }
      let ok = false;
      if (signature.byteLength > 0 && signature.byteLength <= MAX_SIGNATURE_BYTES) {
        if (cert.family === 'rsa') {
          ok = nodeCrypto.verify(RSA_SHA256, cert.spki, signature, message) === true;
        } else {
          const der = signature.byteLength === 64 ? rawEcdsaToDer(signature) : signature;
          ok = nodeCrypto.verify(ECDSA_SHA256, cert.spki, der, message) === true;
        }
      }
      if (!ok) throw new GongjikError('ERR_PKI_SIGNATURE_INVALID', {});
    },
    async validatePath(cert, now) {
      const validator = await trust.validator(now);
      const policy = cert.description.classification.policy;
      await validator.validate(cert.description.der, {
        at: now,
        keyUsage: ['digitalSignature'],
        ...(policy ? { initialPolicies: [policy] } : {}),
      });
    },
  };
}
