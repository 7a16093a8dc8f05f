import { sha256 } from '../util/hash.ts';
import type { AuthorizationRequest } from './request.ts';

/** Digits in the matching code (1 in 100 that a swapped QR shows the same code by chance). */
export const MATCH_CODE_DIGITS = 2;

/**
 * The short code shown both on the screen that asked (next to the QR) and in the wallet, so the
 * holder notices a QR relayed from another screen. It is derived from the request's `nonce` and
 * `state` (SHA-256, Gongjik's own rule), so the wallet computes it itself: nothing in the request
 * can make the wallet show a code other than the one this request's verifier shows.
 */
export async function vpMatchCode(request: Pick<AuthorizationRequest, 'nonce' | 'state'>): Promise<string> {
  const d = await sha256(`gongjik-vp-match:v1\n${request.nonce}\n${request.state}`);
  const n = (((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0) % 10 ** MATCH_CODE_DIGITS;
  return String(n).padStart(MATCH_CODE_DIGITS, '0');
}
