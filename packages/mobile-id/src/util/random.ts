import { b64u } from './bytes.ts';

/** `n` cryptographically random bytes from WebCrypto (Node and browsers). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** A random base64url token of `bytes` bytes (default 16 = 128 bits): salts, nonces, codes. */
export function randomToken(bytes = 16): string {
  return b64u(randomBytes(bytes));
}

/** A uniformly random integer in [0, bound) (rejection sampling; bound ≤ 2^32). */
export function randomInt(bound: number): number {
  if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) throw new RangeError('bound');
  const limit = 2 ** 32 - (2 ** 32 % bound);
  const buf = new Uint32Array(1);
  for (;;) {
    globalThis.crypto.getRandomValues(buf);
    if (buf[0]! < limit) return buf[0]! % bound;
  }
}
