// The signed-in session as the page knows it: the account summary and the CSRF token from the login
// answer. The session itself is an HttpOnly cookie the page cannot read; this copy lives in
// sessionStorage so a reload of the tab keeps it, and is gone when the tab closes.
import { useSyncExternalStore } from 'react';
import type { LoginResult } from '../api/auth.ts';

const KEY = 'gongjik.session';
let current: LoginResult | null = load();
const listeners = new Set<() => void>();

function load(): LoginResult | null {
  try {
    const text = globalThis.sessionStorage?.getItem(KEY);
    if (!text) return null;
    const value = JSON.parse(text) as LoginResult;
    return value && typeof value.csrfToken === 'string' && value.account ? value : null;
  } catch {
    return null;
  }
}

export function setSession(session: LoginResult | null): void {
  current = session;
  try {
    if (session) globalThis.sessionStorage?.setItem(KEY, JSON.stringify(session));
    else globalThis.sessionStorage?.removeItem(KEY);
  } catch {
    // Storage unavailable: the session lasts for this page only.
  }
  for (const listener of listeners) listener();
}

export function getSession(): LoginResult | null {
  return current;
}

export function useSession(): LoginResult | null {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => current,
  );
}
