import { b64u, fromB64u, utf8 } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';

/** PINs are six digits. */
export const PIN_LENGTH = 6;
/** Bounds on the PBKDF2 work factor a server may ask for (the wallet refuses anything else). */
export const MIN_PIN_ITERATIONS = 1_000;
export const MAX_PIN_ITERATIONS = 2_000_000;

const COMMON = new Set(['123123', '121212', '112233', '159753', '147258', '258369', '000001', '102030']);

/**
 * True for PINs that are easy to guess: one repeated digit (`000000`), a run of consecutive
 * digits up or down (`123456`, `987654`, wrapping `890123`), or one of a few well-known patterns.
 */
export function isTrivialPin(pin: string): boolean {
  if (!/^[0-9]{6}$/.test(pin)) return true;
  const d = [...pin].map(Number);
  if (d.every((x) => x === d[0])) return true;
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return true;
  return COMMON.has(pin);
}

/** Throws ERR_MID_PIN_TRIVIAL unless `pin` is six digits and not trivial. */
export function assertPinAcceptable(pin: string): void {
  if (isTrivialPin(pin)) fail('ERR_MID_PIN_TRIVIAL');
}

/**
 * The PIN verifier the wallet sends instead of the PIN: base64url(PBKDF2-HMAC-SHA256(PIN,
 * "gongjik-pin:v1:" ‖ salt, iterations, 256 bits)). The salt and the iteration count come from the
 * server (per card). The server never sees the PIN and stores only a keyed hash of the verifier.
 */
export async function derivePinVerifier(pin: string, salt: string, iterations: number): Promise<string> {
  if (!/^[0-9]{4,16}$/.test(pin)) fail('ERR_MID_PIN_TRIVIAL');
  if (!Number.isInteger(iterations) || iterations < MIN_PIN_ITERATIONS || iterations > MAX_PIN_ITERATIONS) {
    fail('ERR_MID_MALFORMED', { part: 'pin iterations' });
  }
  const saltBytes = fromB64u(salt, 'pin salt');
  const prefix = utf8('gongjik-pin:v1:');
  const fullSalt = new Uint8Array(prefix.length + saltBytes.length);
  fullSalt.set(prefix);
  fullSalt.set(saltBytes, prefix.length);
  const key = await globalThis.crypto.subtle.importKey('raw', utf8(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fullSalt, iterations },
    key,
    256,
  );
  return b64u(new Uint8Array(bits));
}
