// JSON requests with any method, for the portal and the sessions page (http.ts's client only posts).
// Refusals become the same ApiError as there, so the screens show the registry's message.
import type { Lang } from '../i18n/format.ts';
import { ApiError, BadResponseError, NetworkError, problemDetails, readJson } from './http.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  readonly fetch?: typeof globalThis.fetch;
  readonly lang?: () => Lang;
  /** Extra headers per request (Authorization for the admin API, X-CSRF-Token for sessions). */
  readonly headers?: () => Record<string, string>;
  readonly baseUrl?: string;
  /** Largest answer read (default: http.ts's 256 KiB; the webmail reads whole messages). */
  readonly maxResponseChars?: number;
}

export type Query = Readonly<Record<string, string | number | undefined | null>>;

export interface JsonClient {
  /** Resolves to the parsed body (null for 204), rejects with ApiError / NetworkError / BadResponseError. */
  request(method: Method, path: string, options?: { query?: Query; body?: unknown }): Promise<unknown>;
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Encodes one path segment (codes and employee numbers are restricted, but never trusted). */
export const seg = (value: string) => encodeURIComponent(value);

export function createJsonClient(options: RequestOptions = {}): JsonClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';
  return {
    async request(method, path, { query, body } = {}) {
      const headers: Record<string, string> = {
        Accept: 'application/json, application/problem+json',
        ...options.headers?.(),
      };
      const lang = options.lang?.();
      if (lang) headers['Accept-Language'] = lang;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let response: Response;
      try {
        response = await doFetch(baseUrl + path + queryString(query), {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          credentials: 'same-origin',
          cache: 'no-store',
          redirect: 'error',
        });
      } catch (err) {
        throw new NetworkError(err);
      }
      const json = await readJson(response, options.maxResponseChars);
      if (!response.ok) {
        const problem = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
        const code = typeof problem.code === 'string' ? problem.code : null;
        throw new ApiError(response.status, code, problemDetails(problem));
      }
      if (json === undefined) throw new BadResponseError('not JSON');
      return json;
    },
  };
}
