// The webmail's view of the session: signed-out visitors go to the login screen, and come back.
import { navigate, ROUTE_PATHS } from '../../app/router.ts';
import { setSession } from '../../app/session.ts';

export function isSessionRequired(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_AUTH_SESSION_REQUIRED' || code === 'ERR_AUTH_SESSION_EXPIRED';
}

/** Sends a signed-out visitor to the login screen (`?return=` brings them back after login). */
export function toLogin(): void {
  setSession(null);
  const back = window.location.pathname + window.location.search;
  navigate(`${ROUTE_PATHS.login}?return=${encodeURIComponent(back)}`, { replace: true });
}
