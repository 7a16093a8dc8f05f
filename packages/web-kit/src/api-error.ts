// Refusals from a Gongjik server arrive as RFC 9457 problem+json with a stable `code`; the web app
// and the wallet turn them into ApiError, which their screens show in the user's language.

export type ProblemDetails = Readonly<Record<string, string | number | boolean>>;

/** A refusal or failure reported by the server. `code` is the problem's code when it sent a valid one. */
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

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'details']);
const CODE = /^ERR_[A-Z0-9_]{1,60}$/;

/** Placeholder values a problem carries: `details: {…}` and extension members (short scalars only). */
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

/** An ApiError from a non-2xx answer's parsed body; a `code` that is not shaped like ours is dropped. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const problem = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const code = typeof problem.code === 'string' && CODE.test(problem.code) ? problem.code : null;
  return new ApiError(status, code, problemDetails(problem));
}
