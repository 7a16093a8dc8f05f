import type { CryptoKey } from 'jose';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { fromB64u, jsonObjectFromB64u, utf8 } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import type { P256PublicJwk } from './jwk.ts';

/** Upper bound on any compact JWS this package reads (bytes of text). */
export const MAX_JWS_LENGTH = 16_384;

/** A compact JWS split and decoded, not yet verified. */
export interface ParsedJws {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** ASCII `header.payload`, the JWS signing input. */
  signingInput: string;
  /** Raw R||S signature (64 bytes for ES256). */
  signature: Uint8Array<ArrayBuffer>;
}

/**
 * Splits and decodes a compact JWS with a JSON object payload; checks `alg` is ES256, `typ` (when
 * given) and that no unknown critical header is used. Throws ERR_MID_MALFORMED / ERR_MID_TYPE_INVALID.
 */
export function parseJws(token: unknown, part: string, typ?: string, maxLength = MAX_JWS_LENGTH): ParsedJws {
  ensure(typeof token === 'string' && token.length > 0 && token.length <= maxLength, part);
  const segments = token.split('.');
  ensure(segments.length === 3, part);
  const [h, p, s] = segments as [string, string, string];
  const header = jsonObjectFromB64u(h, `${part} header`);
  const payload = jsonObjectFromB64u(p, `${part} payload`);
  const signature = fromB64u(s, `${part} signature`);
  ensure(header.alg === 'ES256' && signature.length === 64, `${part} algorithm`);
  ensure(header.crit === undefined, `${part} crit`);
  if (typ !== undefined && header.typ !== typ) fail('ERR_MID_TYPE_INVALID', { expected: typ });
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

/** Signs `payload` as a compact ES256 JWS with the protected `header` (alg is set here). */
export async function signJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  privateKey: CryptoKey,
): Promise<string> {
  return new CompactSign(utf8(JSON.stringify(payload)))
    .setProtectedHeader({ ...header, alg: 'ES256' })
    .sign(privateKey);
}

/** Verifies an ES256 compact JWS against `jwk` (WebCrypto); returns false on a bad signature. */
export async function verifyJwsSignature(token: string, jwk: P256PublicJwk): Promise<boolean> {
  const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'ES256').catch(() =>
    fail('ERR_MID_KEY_INVALID'),
  );
  try {
    await compactVerify(token, key, { algorithms: ['ES256'] });
    return true;
  } catch {
    return false;
  }
}
