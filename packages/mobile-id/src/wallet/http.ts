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
    const error =
      isObject(body) && typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)
        ? body.error
        : `http_${res.status}`;
    fail('ERR_MID_ISSUER_REFUSED', { error });
  }
  if (body === undefined) fail('ERR_MID_MALFORMED', { part: 'response' });
  return body;
}
