// A small JSON client for the Gongjik API. Refusals arrive as RFC 9457 problem+json with a stable
// `code`; they become ApiError, which the screens show in the user's language.
import { apiErrorOf, BadResponseError, NetworkError } from '@gongjik/web-kit/api-error';
import type { Lang } from '../i18n/format.ts';

/** Largest answer body the client reads (the auth API answers are tiny). */
const MAX_RESPONSE_CHARS = 256 * 1024;

export {
  ApiError,
  apiErrorOf,
  BadResponseError,
  NetworkError,
  type ProblemDetails,
  problemDetails,
} from '@gongjik/web-kit/api-error';

export interface ApiClientOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Sent as Accept-Language, so server-side texts match the page. */
  readonly lang?: () => Lang;
  /** The session's CSRF token (from the login answer), sent as X-CSRF-Token when present. */
  readonly csrfToken?: () => string | null;
  /** Prefix of every path (default: same origin). */
  readonly baseUrl?: string;
}

export interface ApiClient {
  post(path: string, body: unknown): Promise<unknown>;
}

export async function readJson(response: Response, maxChars = MAX_RESPONSE_CHARS): Promise<unknown> {
  const text = await response.text();
  if (text.length > maxChars) throw new BadResponseError('too large');
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';
  return {
    async post(path, body) {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        Accept: 'application/json, application/problem+json',
      };
      const lang = options.lang?.();
      if (lang) headers['Accept-Language'] = lang;
      const csrf = options.csrfToken?.();
      if (csrf) headers['X-CSRF-Token'] = csrf;
      let response: Response;
      try {
        response = await doFetch(baseUrl + path, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          credentials: 'same-origin',
          cache: 'no-store',
          redirect: 'error',
        });
      } catch (err) {
        throw new NetworkError(err);
      }
      const json = await readJson(response);
      if (!response.ok) {
        throw apiErrorOf(response.status, json);
      }
      if (json === undefined) throw new BadResponseError('not JSON');
      return json;
    },
  };
}
