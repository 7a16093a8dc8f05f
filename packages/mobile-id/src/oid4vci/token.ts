import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { PRE_AUTHORIZED_GRANT, type TokenResponse } from './types.ts';

/** The form body of a token request for the pre-authorized code grant. */
export function buildTokenRequest(input: { preAuthorizedCode: string; txCode?: string }): URLSearchParams {
  const body = new URLSearchParams({
    grant_type: PRE_AUTHORIZED_GRANT,
    'pre-authorized_code': input.preAuthorizedCode,
  });
  if (input.txCode !== undefined) body.set('tx_code', input.txCode);
  return body;
}

/** Reads a token request (server side). The server then checks the code and `tx_code` itself. */
export function parseTokenRequest(body: URLSearchParams): {
  preAuthorizedCode: string;
  txCode: string | undefined;
} {
  ensure(body.get('grant_type') === PRE_AUTHORIZED_GRANT, 'grant_type');
  const code = body.get('pre-authorized_code');
  ensure(code !== null && code.length > 0 && code.length <= 512, 'pre-authorized_code');
  const tx = body.get('tx_code');
  ensure(tx === null || /^[0-9]{4,16}$/.test(tx), 'tx_code');
  return { preAuthorizedCode: code, txCode: tx ?? undefined };
}

export function buildTokenResponse(accessToken: string, expiresIn: number): TokenResponse {
  return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn };
}

export function parseTokenResponse(json: unknown): TokenResponse {
  ensure(isObject(json), 'token response');
  ensure(typeof json.access_token === 'string' && json.access_token.length > 0, 'access_token');
  ensure(typeof json.token_type === 'string' && json.token_type.toLowerCase() === 'bearer', 'token_type');
  return { access_token: json.access_token, token_type: 'Bearer', expires_in: Number(json.expires_in) || 0 };
}
