import { type ErrorCode, type ErrorDetails, GongjikError } from '@gongjik/errors';

/** Throws the Gongjik error `code`; `details` must hold only safe values. */
export function fail(code: ErrorCode, details: ErrorDetails = {}, cause?: unknown): never {
  throw new GongjikError(code, details, cause === undefined ? undefined : { cause });
}

/** Throws ERR_MID_MALFORMED naming the part (never the raw input) unless `ok`. */
export function ensure(ok: unknown, part: string): asserts ok {
  if (!ok) fail('ERR_MID_MALFORMED', { part });
}
