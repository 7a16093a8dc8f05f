import { b64u, fromB64u, fromUtf8, utf8 } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { randomToken } from '../util/random.ts';

/** One RFC 9901 disclosure: `[salt, name, value]` (object property) or `[salt, value]` (array element). */
export interface Disclosure {
  /** The base64url text as it travels between `~`. */
  encoded: string;
  /** base64url(SHA-256(encoded)), the value referenced from `_sd` or `{"...": digest}`. */
  digest: string;
  salt: string;
  /** Claim name; absent for an array element. */
  name?: string;
  value: unknown;
}

/** Claim names a disclosure may never carry (RFC 9901 §4.2.1). */
const RESERVED = new Set(['_sd', '...', '_sd_alg', 'cnf', 'iss', 'iat', 'nbf', 'exp', 'vct', 'status']);

/** Makes a disclosure for the object property `name: value` with a fresh 128-bit salt. */
export async function createDisclosure(
  name: string,
  value: unknown,
  salt = randomToken(16),
): Promise<Disclosure> {
  if (RESERVED.has(name)) throw new RangeError(`the claim ${name} cannot be selectively disclosable`);
  const encoded = b64u(utf8(JSON.stringify([salt, name, value])));
  return { encoded, digest: await sha256B64u(encoded), salt, name, value };
}

/** Decodes a disclosure, checking its shape; the digest is computed over the text as received. */
export async function parseDisclosure(encoded: string): Promise<Disclosure> {
  let array: unknown;
  try {
    array = JSON.parse(fromUtf8(fromB64u(encoded, 'disclosure')));
  } catch {
    ensure(false, 'disclosure');
  }
  ensure(Array.isArray(array) && (array.length === 2 || array.length === 3), 'disclosure');
  ensure(typeof array[0] === 'string' && array[0].length >= 16, 'disclosure salt');
  const digest = await sha256B64u(encoded);
  if (array.length === 2) return { encoded, digest, salt: array[0], value: array[1] };
  ensure(typeof array[1] === 'string' && !RESERVED.has(array[1]), 'disclosure name');
  return { encoded, digest, salt: array[0], name: array[1], value: array[2] };
}
