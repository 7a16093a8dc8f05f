import type { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { NAMED_CURVES, OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION } from './oids.ts';

export type KeyAlgorithmName = 'rsa' | 'ec' | 'unknown';

export interface KeyAlgorithm {
  readonly name: KeyAlgorithmName;
  /** The SubjectPublicKeyInfo algorithm OID (e.g. KCDSA keys show up here as `unknown`). */
  readonly oid: string;
  /** For EC keys: `P-256`, `P-384`, `P-521`, or the curve OID when it is another curve. */
  readonly namedCurve?: string;
}

/** Reads the named curve OID from EC AlgorithmIdentifier parameters; null when absent or implicit. */
export function namedCurveOf(parameters: ArrayBuffer | null | undefined): string | null {
  if (!parameters) return null;
  const parsed = asn1js.fromBER(parameters);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.ObjectIdentifier)) return null;
  const oid = parsed.result.valueBlock.toString();
  return NAMED_CURVES[oid] ?? oid;
}

export function keyAlgorithmOf(spki: SubjectPublicKeyInfo): KeyAlgorithm {
  const oid = spki.algorithm.algorithm;
  if (oid === OID_RSA_ENCRYPTION) return { name: 'rsa', oid };
  if (oid === OID_EC_PUBLIC_KEY) {
    const curve = namedCurveOf(spki.algorithm.parameters);
    return curve ? { name: 'ec', oid, namedCurve: curve } : { name: 'ec', oid };
  }
  return { name: 'unknown', oid };
}
