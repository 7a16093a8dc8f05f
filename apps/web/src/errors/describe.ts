// Turns anything a flow throws into the message the user reads, in their language. Registry codes
// (from kpki in the browser, or the server's problem+json) use the registry's own Korean/English
// texts via formatMessage, so the server and the page say the same thing.
import { formatMessage, isErrorCode, isGongjikError } from '@gongjik/errors';
import { ApiError, BadResponseError, NetworkError } from '../api/http.ts';
import { type Lang, translate } from '../i18n/format.ts';
import { ClientError } from './client-error.ts';

export interface ShownError {
  readonly message: string;
  /** The stable code, shown small for support staff; null for browser-side problems. */
  readonly code: string | null;
}

export function describeError(err: unknown, lang: Lang): ShownError {
  if (isGongjikError(err)) return { message: err.localized(lang), code: err.code };
  if (err instanceof ApiError) {
    if (err.code && isErrorCode(err.code))
      return { message: formatMessage(err.code, lang, err.details), code: err.code };
    if (err.code)
      return { message: translate(lang, 'error.unknownCode', { code: err.code }), code: err.code };
    return { message: translate(lang, 'error.http', { status: err.status }), code: null };
  }
  if (err instanceof ClientError) return { message: translate(lang, err.key, err.vars), code: null };
  if (err instanceof NetworkError) return { message: translate(lang, 'error.network'), code: null };
  if (err instanceof BadResponseError) return { message: translate(lang, 'error.badResponse'), code: null };
  return { message: translate(lang, 'error.unexpected'), code: null };
}
