// The OpenID4VP request endpoints of the server (sign-in and the library desk), with checked answers.
import type { LoginResult } from '../../api/auth.ts';
import { asObject, optStr, str } from '../../api/decode.ts';
import { type ApiClient, BadResponseError } from '../../api/http.ts';

export interface PresentationRequest {
  readonly id: string;
  readonly secret: string;
  /** deep link into the wallet PWA; also what the QR code holds */
  readonly walletLink: string;
  readonly matchCode: string;
  readonly verifierName: string;
  readonly expiresAt: number;
}

export type PollAnswer =
  | { readonly status: 'pending'; readonly lastError: string | null }
  | { readonly status: 'done'; readonly body: Record<string, unknown> };

export async function createRequest(
  api: ApiClient,
  path: string,
  body: Record<string, unknown>,
): Promise<PresentationRequest> {
  const r = asObject(await api.post(path, body), 'request');
  const walletLink = str(r, 'walletLink', 8192);
  if (!/^https?:\/\//.test(walletLink)) throw new BadResponseError('walletLink');
  const matchCode = str(r, 'matchCode', 8);
  if (!/^\d{2,6}$/.test(matchCode)) throw new BadResponseError('matchCode');
  const expiresAt = Date.parse(str(r, 'expiresAt', 64));
  if (!Number.isFinite(expiresAt)) throw new BadResponseError('expiresAt');
  return {
    id: str(r, 'id', 64),
    secret: str(r, 'secret', 128),
    walletLink,
    matchCode,
    verifierName: str(r, 'verifierName', 200),
    expiresAt,
  };
}

export async function pollRequest(
  api: ApiClient,
  path: string,
  request: Pick<PresentationRequest, 'id' | 'secret'>,
): Promise<PollAnswer> {
  const r = asObject(
    await api.post(`${path}/${encodeURIComponent(request.id)}/poll`, { secret: request.secret }),
    'poll',
  );
  if (r.status === 'pending') return { status: 'pending', lastError: optStr(r, 'lastError', 100) };
  if (r.status === 'done') return { status: 'done', body: r };
  throw new BadResponseError('status');
}

/** The sign-in poll's final answer has the certificate login's shape. */
export function loginResultOf(body: Record<string, unknown>): LoginResult {
  const a = asObject(body.account, 'account');
  const name = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : null);
  return {
    account: {
      id: str(a, 'id', 200),
      address: str(a, 'address', 320),
      realName: str(a, 'realName', 200),
      agency: name(a.agency),
      department: name(a.department),
    },
    csrfToken: str(body, 'csrfToken', 512),
    warnings: Array.isArray(body.warnings)
      ? body.warnings
          .slice(0, 10)
          .map((w) => (w && typeof w === 'object' ? (w as { message?: unknown }).message : null))
          .filter((m): m is string => typeof m === 'string')
          .map((m) => m.slice(0, 500))
      : [],
  };
}

export interface LibraryCard {
  readonly name: string;
  readonly agency: string;
  readonly employeeNumber: string;
  readonly verifiedAt: string;
}

export function libraryCardOf(body: Record<string, unknown>): LibraryCard {
  const c = asObject(body.claims, 'claims');
  const agency = asObject(c.agency, 'agency');
  return {
    name: str(c, 'name', 200),
    agency: str(agency, 'name', 200),
    employeeNumber: str(c, 'employee_number', 64),
    verifiedAt: str(body, 'verifiedAt', 64),
  };
}
