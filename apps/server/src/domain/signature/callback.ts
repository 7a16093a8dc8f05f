// The optional callback to a work system when its signature request is answered. It carries only
// `{id, state}` — a hint to poll GET /api/v1/sign/requests/{id} with the client's credentials — so
// a forged callback can trigger a poll and nothing else. The URL must have the origin of one of
// the client's registered redirect URIs (the addresses an administrator approved for that work
// system), which keeps the server from being pointed at arbitrary hosts. Best effort: one POST,
// 5 s, no redirects, no retry (the work system can always poll); failures go to `log` when given.
import { GongjikError } from '@gongjik/errors';

export type CallbackFetch = (url: string, init: RequestInit) => Promise<Response>;

export function assertCallbackUrl(url: string, redirectUris: readonly string[]): void {
  let origin: string;
  try {
    if (url.length > 2000) throw new Error('too long');
    const u = new URL(url);
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.hash)
      throw new Error('scheme');
    origin = u.origin;
  } catch {
    throw new GongjikError('ERR_SIGN_CALLBACK_INVALID');
  }
  const allowed = redirectUris.some((r) => {
    try {
      return new URL(r).origin === origin;
    } catch {
      return false;
    }
  });
  if (!allowed) throw new GongjikError('ERR_SIGN_CALLBACK_INVALID');
}

export function notifyWorkSystem(
  url: string | null,
  body: { id: string; state: string },
  fetchFn: CallbackFetch = (u, i) => fetch(u, i),
  log: (message: string) => void = () => undefined,
): void {
  if (!url) return;
  void fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(5000),
  }).then(
    (res) => {
      void res.body?.cancel();
      if (!res.ok) log(`signature callback answered ${res.status}`);
    },
    (err: unknown) => log(`signature callback failed: ${String(err)}`),
  );
}
