import { fail } from './fail.ts';

/** Seconds since the epoch (JWT NumericDate) of `date`. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Default tolerance for clocks that disagree, and the most a caller may allow. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
export const MAX_CLOCK_SKEW_SECONDS = 300;

export function boundedSkew(skew: number | undefined): number {
  const s = skew ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isFinite(s) || s < 0 || s > MAX_CLOCK_SKEW_SECONDS) throw new RangeError('clockSkewSeconds');
  return s;
}

export function isNumericDate(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Checks a validity window: `exp` (required unless `optionalExp`), `nbf` and `iat` (when present)
 * against `now` with `skew` seconds of tolerance.
 */
export function checkValidity(
  claims: { iat?: unknown; nbf?: unknown; exp?: unknown },
  nowSeconds: number,
  skew: number,
): void {
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && !isNumericDate(iat)) fail('ERR_MID_MALFORMED', { part: 'iat' });
  if (nbf !== undefined && !isNumericDate(nbf)) fail('ERR_MID_MALFORMED', { part: 'nbf' });
  if (!isNumericDate(exp)) fail('ERR_MID_MALFORMED', { part: 'exp' });
  if (typeof iat === 'number' && iat > nowSeconds + skew) fail('ERR_MID_TIME_INVALID');
  if (typeof nbf === 'number' && nbf > nowSeconds + skew) fail('ERR_MID_CREDENTIAL_NOT_YET_VALID');
  if (exp <= nowSeconds - skew) fail('ERR_MID_CREDENTIAL_EXPIRED');
}

/** Checks a proof's `iat`: not in the future (beyond skew), not older than `maxAge` seconds. */
export function checkFreshness(iat: unknown, nowSeconds: number, maxAge: number, skew: number): void {
  if (!isNumericDate(iat)) fail('ERR_MID_MALFORMED', { part: 'iat' });
  if (iat > nowSeconds + skew) fail('ERR_MID_TIME_INVALID');
  if (iat < nowSeconds - maxAge) fail('ERR_MID_PROOF_EXPIRED', { maxAgeSeconds: maxAge });
}
