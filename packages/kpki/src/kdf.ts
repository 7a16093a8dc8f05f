// Password-based key derivation for KISA key files: PBKDF1-SHA1 (KISA seedCBCWithSHA1 and the old
// seedCBC scheme) and PBKDF2 with HMAC-SHA1 / HMAC-SHA256 (PBES2, RFC 8018) through WebCrypto.
// Passwords are encoded as UTF-8, exactly as typed (no Unicode normalisation).

import { sha1 } from './sha1.ts';

/** Iteration counts outside 1…MAX_ITERATIONS are refused (a hostile file must not pin the CPU). */
export const MAX_ITERATIONS = 10_000_000;

export type Pbkdf2Hash = 'SHA-1' | 'SHA-256';

type Subtle = typeof globalThis.crypto.subtle;

export function passwordBytes(password: string | Uint8Array): Uint8Array {
  return typeof password === 'string' ? new TextEncoder().encode(password) : password;
}

export function isValidIterationCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_ITERATIONS;
}

function checkIterations(n: number): void {
  if (!isValidIterationCount(n))
    throw new RangeError(`iteration count must be an integer in 1…${MAX_ITERATIONS}`);
}

/**
 * KISA PBKDF1-SHA1: T1 = SHA1(password ‖ salt), Tn = SHA1(Tn−1), DK = T_iterations (all 20 bytes;
 * KISA takes the key from DK[0:16] and the IV seed from DK[16:20]).
 */
export function pbkdf1Sha1(password: string | Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  checkIterations(iterations);
  const p = passwordBytes(password);
  const input = new Uint8Array(p.length + salt.length);
  input.set(p);
  input.set(salt, p.length);
  let t = sha1(input);
  for (let i = 1; i < iterations; i++) t = sha1(t);
  return t;
}

/** PBKDF2 (RFC 8018 §5.2) with HMAC-`hash`, `length` bytes, via WebCrypto. */
export async function pbkdf2(
  password: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
  hash: Pbkdf2Hash,
  length: number,
  subtle: Subtle = globalThis.crypto.subtle,
): Promise<Uint8Array> {
  checkIterations(iterations);
  if (!Number.isInteger(length) || length < 1 || length > 64)
    throw new RangeError('PBKDF2 length must be 1…64 bytes');
  // Copies typed as Uint8Array<ArrayBuffer>: the DOM library's BufferSource refuses ArrayBufferLike views.
  const key = await subtle.importKey('raw', new Uint8Array(passwordBytes(password)), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const params = { name: 'PBKDF2', hash, salt: new Uint8Array(salt), iterations };
  const bits = await subtle.deriveBits(params, key, length * 8);
  return new Uint8Array(bits);
}
