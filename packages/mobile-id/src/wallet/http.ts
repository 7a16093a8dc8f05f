import { type ErrorCode, GongjikError, isErrorCode } from '@gongjik/errors';
import { isObject } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';

/** The subset of `fetch` the wallet uses; injected so tests and the CLI can route requests. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

const MAX_BODY = 256 * 1024;

/** Calls `url` and returns its JSON body; an error answer becomes ERR_MID_ISSUER_REFUSED. */
export async function fetchJson(fetchFn: FetchLike, url: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, redirect: 'error' });
  } catch (cause) {
    fail('ERR_MID_ISSUER_REFUSED', { error: 'network' }, cause);
  }
  const text = await res.text();
  if (text.length > MAX_BODY) fail('ERR_MID_ISSUER_REFUSED', { error: 'too_large' });
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    // A Gongjik issuer names its refusal (`code`, with safe `details`): keep it, so the holder sees
    // "wrong PIN, 3 attempts left" rather than "the issuer refused".
    if (
      isObject(body) &&
      typeof body.code === 'string' &&
      (body.code.startsWith('ERR_MID_') || body.code.startsWith('ERR_SIGN_')) &&
      isErrorCode(body.code)
    ) {
      throw new GongjikError(body.code as ErrorCode, safeDetails(body.details));
    }
    const error =
      isObject(body) && typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)
        ? body.error
        : `http_${res.status}`;
    fail('ERR_MID_ISSUER_REFUSED', { error });
  }
  if (body === undefined) fail('ERR_MID_MALFORMED', { part: 'response' });
  return body;
}

function safeDetails(details: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (!isObject(details)) return out;
  for (const [k, v] of Object.entries(details).slice(0, 8)) {
    if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 100))
      out[k] = v;
  }
  return out;
}
