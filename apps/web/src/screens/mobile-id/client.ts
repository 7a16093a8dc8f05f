// The mobile-ID portal API with the official's session: cookie + X-CSRF-Token on writes.
import { midPortalApi } from '../../api/mobile-id.ts';
import { createJsonClient } from '../../api/request.ts';
import { sessionsApi } from '../../api/sessions.ts';
import { navigate, ROUTE_PATHS } from '../../app/router.ts';
import { getSession, setSession } from '../../app/session.ts';
import { loadLang } from '../../i18n/lang-store.ts';

const client = createJsonClient({
  lang: () => loadLang(globalThis.localStorage),
  headers: (): Record<string, string> => {
    const csrf = getSession()?.csrfToken;
    return csrf ? { 'X-CSRF-Token': csrf } : {};
  },
});

export const mid = midPortalApi(client);
const sessions = sessionsApi(client);

export function isSessionRequired(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_AUTH_SESSION_REQUIRED' || code === 'ERR_AUTH_SESSION_EXPIRED';
}

/** Runs `work` with a session: a tab with the cookie but no login answer asks for it; none → /login. */
export async function withSession<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    if (!getSession()) setSession(await sessions.current());
    return await work();
  } catch (err) {
    if (isSessionRequired(err)) {
      setSession(null);
      navigate(ROUTE_PATHS.login, { replace: true });
      return null;
    }
    throw err;
  }
}
