// A very small history-API router: the app has a handful of screens, no nested routes.
import { useSyncExternalStore } from 'react';

export type Route =
  | 'home'
  | 'login'
  | 'signup'
  | 'renew'
  | 'sessions'
  | 'admin'
  | 'mail'
  | 'library'
  | 'kiosk'
  | 'verify'
  | 'sign'
  | 'card'
  | 'approvals'
  | 'notFound';

export const ROUTE_PATHS: Readonly<Record<Exclude<Route, 'notFound'>, string>> = {
  home: '/',
  login: '/login',
  signup: '/signup',
  renew: '/renew',
  sessions: '/sessions',
  admin: '/admin',
  library: '/library',
  kiosk: '/kiosk',
  verify: '/verify',
  sign: '/sign',
  card: '/card', // mobile ID: my card (lazy chunk screens/mobile-id)
  approvals: '/approvals', // mobile ID: the head's approval queue (same chunk)
  mail: '/mail',
};

export const NAVIGATE_EVENT = 'gongjik:navigate';
let navigated = false;

/** True once the user moved between screens in this page (not on the first screen shown). */
export function hasNavigated(): boolean {
  return navigated;
}

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  // The admin portal routes its own sub-paths (/admin/people/…) inside its lazily loaded chunk.
  if (path.startsWith(`${ROUTE_PATHS.admin}/`)) return 'admin';
  if (path.startsWith(`${ROUTE_PATHS.mail}/`)) return 'mail'; // the webmail routes /mail/… itself
  for (const [route, p] of Object.entries(ROUTE_PATHS)) if (p === path) return route as Route;
  return 'notFound';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    navigated = true;
  });
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  navigated = true;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
