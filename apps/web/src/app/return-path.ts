// Where to go after signing in: `/login?return=<path>` (the OIDC provider sends the browser here
// with `return=/oidc/interaction/<uid>`). Only a relative path on this origin is honoured; anything
// else — another origin, `//host`, a scheme, backslashes, control characters — is refused, so the
// login page cannot be used as an open redirect.
const MAX_RETURN = 2048;

/** The path to return to, or null when `value` is not a safe same-origin path. */
export function safeReturnPath(value: string | null | undefined, origin: string): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_RETURN) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // Browsers treat `\` like `/` (`/\evil.example` is another host) and drop tabs and newlines.
  if (value.includes('\\') || [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return null;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The `return` parameter of the current page's address, when it is safe. */
export function returnPathOf(location: Pick<Location, 'search' | 'origin'>): string | null {
  return safeReturnPath(new URLSearchParams(location.search).get('return'), location.origin);
}

/** The OIDC interaction a return path continues (`/oidc/interaction/<uid>`), if any. */
export function interactionOf(path: string | null): string | null {
  const m = path ? /^\/oidc\/interaction\/([A-Za-z0-9_-]{10,64})$/.exec(path) : null;
  return m ? m[1]! : null;
}
