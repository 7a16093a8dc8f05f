// Turns anything a flow throws into the message the holder reads, in their language. Registry codes
// (from @gongjik/mobile-id in the page, or the issuer's problem+json) use the registry's own
// Korean/English texts, so the server and the wallet say the same thing.
import { formatMessage, isErrorCode, isGongjikError } from '@gongjik/errors';
import { type Lang, translate } from '../i18n/format.ts';
import { ApiError, BadResponseError, NetworkError } from './api-error.ts';
import { ClientError } from './client-error.ts';

export interface ShownError {
  readonly message: string;
  /** The stable code, shown small for support staff; null for wallet-side problems. */
  readonly code: string | null;
}

/** The request got no answer (offline, DNS, refused connection), however it was reported. */
export function isNetworkFailure(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof TypeError && /fetch|network/i.test(err.message)) return true;
  return isGongjikError(err) && err.code === 'ERR_MID_ISSUER_REFUSED' && err.details.error === 'network';
}

export function describeError(err: unknown, lang: Lang): ShownError {
  if (isNetworkFailure(err)) return { message: translate(lang, 'error.network'), code: null };
  if (isGongjikError(err)) return { message: err.localized(lang), code: err.code };
  if (err instanceof ApiError) {
    if (err.code && isErrorCode(err.code))
      return { message: formatMessage(err.code, lang, err.details), code: err.code };
    if (err.code)
      return { message: translate(lang, 'error.unknownCode', { code: err.code }), code: err.code };
    return { message: translate(lang, 'error.http', { status: err.status }), code: null };
  }
  if (err instanceof ClientError) return { message: translate(lang, err.key, err.vars), code: null };
  if (err instanceof BadResponseError) return { message: translate(lang, 'error.badResponse'), code: null };
  return { message: translate(lang, 'error.unexpected'), code: null };
}
