import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { randomToken } from '../util/random.ts';
import { type DcqlQuery, validateDcqlQuery } from './dcql.ts';

export const VP_SCHEME = 'openid4vp://';

/**
 * OpenID4VP 1.0 §5.9.3 client identifier prefix for unsigned requests: the client_id is the
 * response URI itself, so the KB-JWT `aud` names the exact endpoint that receives the presentation.
 */
export const REDIRECT_URI_PREFIX = 'redirect_uri:';

/** The `redirect_uri:` client_id of a verifier whose direct_post endpoint is `responseUri`. */
export function redirectUriClientId(responseUri: string): string {
  return `${REDIRECT_URI_PREFIX}${responseUri}`;
}

/** An OpenID4VP 1.0 authorization request (by value, `direct_post`). */
export interface AuthorizationRequest {
  client_id: string;
  response_type: 'vp_token';
  response_mode: 'direct_post';
  response_uri: string;
  nonce: string;
  state: string;
  dcql_query: DcqlQuery;
  /** The relying party's display name, shown in the wallet (a Gongjik addition for unsigned requests). */
  client_name?: string;
}

export interface CreateRequestInput {
  clientId: string;
  responseUri: string;
  dcqlQuery: DcqlQuery;
  clientName?: string;
  /** Defaults to 128 random bits each. */
  nonce?: string;
  state?: string;
}

export function createAuthorizationRequest(input: CreateRequestInput): AuthorizationRequest {
  const req: AuthorizationRequest = {
    client_id: input.clientId,
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: input.responseUri,
    nonce: input.nonce ?? randomToken(16),
    state: input.state ?? randomToken(16),
    dcql_query: input.dcqlQuery,
  };
  if (input.clientName !== undefined) req.client_name = input.clientName;
  return req;
}

/** The request as a link for a QR code or a same-device deep link. */
export function authorizationRequestUri(req: AuthorizationRequest, base = VP_SCHEME): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return `${base}?${params}`;
}

/** Reads a request from its link (wallet side), checking its shape. Throws ERR_MID_MALFORMED. */
export function parseAuthorizationRequest(uri: string): AuthorizationRequest {
  ensure(typeof uri === 'string' && uri.length <= 8192, 'authorization request');
  const q = uri.indexOf('?');
  ensure(q >= 0, 'authorization request');
  const p = new URLSearchParams(uri.slice(q + 1));
  const get = (k: string) => {
    const v = p.get(k);
    ensure(v !== null && v.length > 0, k);
    return v;
  };
  ensure(p.get('response_type') === 'vp_token', 'response_type');
  ensure(p.get('response_mode') === 'direct_post', 'response_mode');
  const responseUri = get('response_uri');
  ensure(/^https?:\/\//.test(responseUri), 'response_uri');
  let dcql: unknown;
  try {
    dcql = JSON.parse(get('dcql_query'));
  } catch {
    ensure(false, 'dcql_query');
  }
  ensure(isObject(dcql), 'dcql_query');
  const clientId = get('client_id');
  // A `redirect_uri:` client must receive the answer at exactly that URI (§5.9.3).
  if (clientId.startsWith(REDIRECT_URI_PREFIX))
    ensure(clientId === redirectUriClientId(responseUri), 'client_id');
  const req: AuthorizationRequest = {
    client_id: clientId,
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: responseUri,
    nonce: get('nonce'),
    state: get('state'),
    dcql_query: validateDcqlQuery(dcql),
  };
  const name = p.get('client_name');
  if (name) req.client_name = name.slice(0, 100);
  return req;
}
