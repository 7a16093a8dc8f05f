import { calculateJwkThumbprint } from 'jose';
import { isObject } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';

/** A P-256 public key as a JWK (RFC 7517/7518), the only key type this package accepts. */
export interface P256PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid?: string;
  alg?: 'ES256';
  use?: 'sig';
}

/** A JWK Set of issuer keys (each with a `kid`). */
export interface IssuerJwks {
  keys: readonly P256PublicJwk[];
}

const COORD = /^[A-Za-z0-9_-]{43}$/;

/**
 * Returns the minimal public JWK `{kty, crv, x, y}` of `value`, or throws ERR_MID_KEY_INVALID.
 * Refuses private keys (a `d` member), other curves and key types.
 */
export function toP256PublicJwk(value: unknown): P256PublicJwk {
  if (!isObject(value)) fail('ERR_MID_KEY_INVALID');
  const { kty, crv, x, y, d } = value;
  if (d !== undefined || kty !== 'EC' || crv !== 'P-256') fail('ERR_MID_KEY_INVALID');
  if (typeof x !== 'string' || typeof y !== 'string' || !COORD.test(x) || !COORD.test(y)) {
    fail('ERR_MID_KEY_INVALID');
  }
  return { kty, crv, x, y };
}

/** RFC 7638 JWK SHA-256 thumbprint (base64url). */
export async function jwkThumbprint(jwk: P256PublicJwk): Promise<string> {
  const { kty, crv, x, y } = toP256PublicJwk(jwk);
  return calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
}

/** Finds the issuer key `kid` in `jwks`, or throws ERR_MID_ISSUER_UNKNOWN. */
export function findIssuerKey(jwks: IssuerJwks, kid: unknown): P256PublicJwk {
  if (typeof kid !== 'string' || kid.length === 0) fail('ERR_MID_ISSUER_UNKNOWN');
  const found = jwks.keys.find((k) => k.kid === kid);
  if (!found) fail('ERR_MID_ISSUER_UNKNOWN');
  if (found.alg !== undefined && found.alg !== 'ES256') fail('ERR_MID_ISSUER_UNKNOWN');
  return toP256PublicJwk(found);
}
