// A small JSON client for the Gongjik API. Refusals arrive as RFC 9457 problem+json with a stable
// `code`; they become ApiError, which the screens show in the user's language.
import type { Lang } from '../i18n/format.ts';

/** Largest answer body the client reads (the auth API answers are tiny). */
const MAX_RESPONSE_CHARS = 256 * 1024;

export type ProblemDetails = Readonly<Record<string, string | number | boolean>>;

/** A refusal or failure reported by the server. `code` is the problem's code when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly details: ProblemDetails;

  constructor(status: number, code: string | null, details: ProblemDetails = {}) {
    super(code ? `${code} (HTTP ${status})` : `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The request never got an answer (offline, DNS, connection refused, CSP). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

/** The server answered 2xx with something that is not the JSON the contract promises. */
export class BadResponseError extends Error {
  constructor(what: string) {
    super(`bad response: ${what}`);
    this.name = 'BadResponseError';
  }
}

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

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'details']);

/** The details a problem carries for its message placeholders: `details: {…}` and extension members. */
export function problemDetails(problem: Record<string, unknown>): ProblemDetails {
  const out: Record<string, string | number | boolean> = {};
  const take = (source: Record<string, unknown>, skip: Set<string> | null) => {
    for (const [key, value] of Object.entries(source)) {
      if (skip?.has(key)) continue;
      if (typeof value === 'string' && value.length <= 200) out[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    }
  };
  take(problem, PROBLEM_MEMBERS);
  const nested = problem.details;
  if (nested && typeof nested === 'object' && !Array.isArray(nested))
    take(nested as Record<string, unknown>, null);
  return out;
}

export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length > MAX_RESPONSE_CHARS) throw new BadResponseError('too large');
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
        const problem = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
        const code = typeof problem.code === 'string' ? problem.code : null;
        throw new ApiError(response.status, code, problemDetails(problem));
      }
      if (json === undefined) throw new BadResponseError('not JSON');
      return json;
    },
  };
}
