// The administrator token while the portal is open. It lives in sessionStorage only (this tab,
// gone when the tab closes; never localStorage, never a cookie) and goes out only as the
// Authorization header of same-origin admin API calls. The app's CSP (script-src 'self', no inline
// scripts) is what keeps other scripts from reading it.
import { useSyncExternalStore } from 'react';

const KEY = 'gongjik.adminToken';
/** The shape of the server's admin tokens (`gja_` + base64url). */
export const ADMIN_TOKEN_PATTERN = /^gja_[A-Za-z0-9_-]{20,200}$/;

const listeners = new Set<() => void>();
let current: string | null = load();

function load(): string | null {
  try {
    const value = globalThis.sessionStorage?.getItem(KEY) ?? null;
    return value && ADMIN_TOKEN_PATTERN.test(value) ? value : null;
  } catch {
    return null;
  }
}

export function setAdminToken(token: string | null): void {
  current = token;
  try {
    if (token) globalThis.sessionStorage?.setItem(KEY, token);
    else globalThis.sessionStorage?.removeItem(KEY);
  } catch {
    // Storage unavailable: the token lasts for this page only.
  }
  for (const listener of listeners) listener();
}

export function getAdminToken(): string | null {
  return current;
}

export function useAdminToken(): string | null {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => current,
  );
}
