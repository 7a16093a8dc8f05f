// A very small history-API router: the wallet has two page paths, `/` and `/install`.
import { useSyncExternalStore } from 'react';

export type Route = 'home' | 'install' | 'present' | 'sign';

const NAVIGATE_EVENT = 'gongjik:navigate';
let navigated = false;

/** True once the holder moved between screens in this page (not on the first screen shown). */
export function hasNavigated(): boolean {
  return navigated;
}

export function markNavigated(): void {
  navigated = true;
}

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/present') return 'present';
  if (path === '/sign') return 'sign'; // signature requests (screens/sign)
  return path === '/install' ? 'install' : 'home';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function useLocation(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  navigated = true;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
