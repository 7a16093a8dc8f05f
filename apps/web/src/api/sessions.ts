// The signed-in official's own sessions (`/api/v1/auth/session(s)`). Cookie-authenticated: writes
// carry the session's CSRF token in X-CSRF-Token (the browser adds the Origin header itself).
import type { LoginResult } from './auth.ts';
import { asObject, optStr, str } from './decode.ts';
import { BadResponseError } from './http.ts';
import { type JsonClient, seg } from './request.ts';

export interface SessionInfo {
  readonly id: string;
  readonly method: 'certificate' | 'mobile-id';
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** the session this page is using */
  readonly current: boolean;
}

function decodeSession(value: unknown): SessionInfo {
  const s = asObject(value, 'session');
  const method = str(s, 'method', 20);
  if (method !== 'certificate' && method !== 'mobile-id') throw new BadResponseError('method');
  if (typeof s.current !== 'boolean') throw new BadResponseError('current');
  return {
    id: str(s, 'id', 64),
    method,
    createdAt: str(s, 'createdAt', 64),
    lastSeenAt: str(s, 'lastSeenAt', 64),
    expiresAt: str(s, 'expiresAt', 64),
    ip: optStr(s, 'ip', 100),
    userAgent: optStr(s, 'userAgent', 512),
    current: s.current,
  };
}

export function sessionsApi(client: JsonClient) {
  return {
    /**
     * The session the cookie carries, as the page keeps it (account + CSRF token). Used when the tab
     * has the cookie but not the login answer (a new tab, a reload after storage was cleared).
     */
    async current(): Promise<LoginResult> {
      const r = asObject(await client.request('GET', '/api/v1/auth/session'), 'session');
      const a = asObject(r.account, 'account');
      return {
        account: {
          id: str(a, 'id', 200),
          address: str(a, 'address', 320),
          realName: str(a, 'realName', 200),
          agency: null,
          department: null,
        },
        csrfToken: str(r, 'csrfToken', 512),
        warnings: [],
      };
    },
    async list(): Promise<SessionInfo[]> {
      const r = asObject(await client.request('GET', '/api/v1/auth/sessions'), 'sessions');
      if (!Array.isArray(r.sessions)) throw new BadResponseError('sessions');
      return r.sessions.map(decodeSession);
    },
    async revoke(id: string): Promise<void> {
      await client.request('DELETE', `/api/v1/auth/sessions/${seg(id)}`);
    },
    async revokeOthers(): Promise<number> {
      const r = asObject(
        await client.request('POST', '/api/v1/auth/sessions/revoke-others', { body: {} }),
        'r',
      );
      if (typeof r.revoked !== 'number') throw new BadResponseError('revoked');
      return r.revoked;
    },
  };
}
