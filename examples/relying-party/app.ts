// An agency work system that signs its users in through Gongjik's OpenID Connect provider — with
// the GPKI/EPKI certificate or with the mobile public-official ID, whichever the official chooses
// on Gongjik's sign-in page. Plain node:http + openid-client; see README.md (the integration guide).
//
//   GONGJIK_ISSUER=https://mail.korea.kr/oidc CLIENT_ID=onnara CLIENT_SECRET=gjcs_… \
//   REDIRECT_URI=http://localhost:3000/callback node examples/relying-party/app.ts
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface RelyingPartyOptions {
  /** the provider's issuer, e.g. https://mail.korea.kr/oidc */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** registered with Gongjik exactly as written here */
  readonly redirectUri: string;
  /** where Gongjik sends the browser after sign-out (registered as a post-logout URI) */
  readonly postLogoutRedirectUri?: string;
  /** the work system's own name, shown on its pages */
  readonly name?: string;
  /** openid-client allows http:// issuers only when told (development and tests) */
  readonly allowInsecureIssuer?: boolean;
}

/** What the work system keeps about a signed-in official (server side; the browser holds a random id). */
export interface SignedInUser {
  readonly sub: string;
  readonly name: string;
  readonly email: string | null;
  readonly agency: string | null;
  readonly employeeNumber: string | null;
  /** ["pki"] certificate, ["mid"] mobile ID */
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly authTime: number | null;
  readonly idToken: string;
}

interface Pending {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly at: number;
}

const COOKIE = 'rp_sid';
const SCOPE = 'openid profile email gongjik:org';
const PENDING_MS = 10 * 60_000;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function methodName(amr: readonly string[]): string {
  if (amr.includes('mid')) return '모바일 공무원증 (mobile ID)';
  if (amr.includes('pki')) return '인증서 (GPKI/EPKI certificate)';
  return amr.join(', ') || '?';
}

function cookieOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v && /^[A-Za-z0-9_-]{20,64}$/.test(v)) return v;
  }
  return null;
}

/** The work system as a request handler (and its session store, for tests and inspection). */
export async function createRelyingParty(options: RelyingPartyOptions) {
  const config = await oidc.discovery(
    new URL(options.issuer),
    options.clientId,
    options.clientSecret,
    undefined,
    options.allowInsecureIssuer ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const sessions = new Map<string, { pending?: Pending; user?: SignedInUser }>();
  const secureCookie = new URL(options.redirectUri).protocol === 'https:';
  const title = options.name ?? '업무 시스템 (example work system)';

  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; form-action 'self'",
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      ...headers,
    });
    res.end(html);
  };
  const redirect = (res: ServerResponse, location: string, headers: Record<string, string> = {}) => {
    res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
    res.end();
  };
  const newSession = () => {
    const id = randomBytes(24).toString('base64url');
    sessions.set(id, {});
    const cookie = `${COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/${secureCookie ? '; Secure' : ''}`;
    return { id, cookie };
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', options.redirectUri);
    const sid = cookieOf(req);
    const session = sid ? sessions.get(sid) : undefined;

    if (req.method === 'GET' && url.pathname === '/') {
      const user = session?.user;
      if (!user)
        return send(
          res,
          200,
          page(
            title,
            `<p>로그인하지 않았습니다.</p><p><a href="/login">공직 통합 로그인으로 로그인</a> (인증서 또는 모바일 공무원증)</p>`,
          ),
        );
      return send(
        res,
        200,
        page(
          title,
          `<p data-sub="${escapeHtml(user.sub)}">${escapeHtml(user.name)}님, 로그인했습니다.</p>
<dl><dt>소속</dt><dd>${escapeHtml(user.agency ?? '-')}</dd><dt>공무원 번호</dt><dd>${escapeHtml(user.employeeNumber ?? '-')}</dd>
<dt>로그인 방법</dt><dd data-amr="${escapeHtml(user.amr.join(' '))}">${escapeHtml(methodName(user.amr))}</dd></dl>
<form method="post" action="/logout"><button type="submit">로그아웃</button></form>`,
        ),
      );
    }

    if (req.method === 'GET' && url.pathname === '/login') {
      const s = session && sid ? { id: sid, cookie: null } : newSession();
      const verifier = oidc.randomPKCECodeVerifier();
      const pending: Pending = {
        verifier,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        at: Date.now(),
      };
      sessions.set(s.id, { ...sessions.get(s.id), pending });
      const target = oidc.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return redirect(res, target.href, s.cookie ? { 'set-cookie': s.cookie } : {});
    }

    if (req.method === 'GET' && url.pathname === new URL(options.redirectUri).pathname) {
      const pending = session?.pending;
      if (!sid || !session || !pending || Date.now() - pending.at > PENDING_MS)
        return send(res, 400, page(title, '<p>로그인 요청을 찾을 수 없습니다. 다시 시도하십시오.</p>'));
      sessions.set(sid, {});
      try {
        const tokens = await oidc.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        const agency = info.agency as { name?: string } | undefined;
        sessions.set(sid, {
          user: {
            sub: claims.sub,
            name: typeof info.name === 'string' ? info.name : claims.sub,
            email: typeof info.email === 'string' ? info.email : null,
            agency: agency?.name ?? null,
            employeeNumber: typeof info.employee_number === 'string' ? info.employee_number : null,
            amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
            acr: typeof claims.acr === 'string' ? claims.acr : null,
            authTime: typeof claims.auth_time === 'number' ? claims.auth_time : null,
            idToken: tokens.id_token!,
          },
        });
        return redirect(res, '/');
      } catch (err) {
        const e = err as { error?: string };
        return send(res, 400, page(title, `<p>로그인하지 못했습니다: ${escapeHtml(e.error ?? 'error')}</p>`));
      }
    }

    if (req.method === 'POST' && url.pathname === '/logout') {
      // SameSite=Lax keeps other sites from posting here with the cookie.
      const user = session?.user;
      if (sid) sessions.delete(sid);
      const clear = `${COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax${secureCookie ? '; Secure' : ''}`;
      if (!user) return redirect(res, '/', { 'set-cookie': clear });
      // RP-initiated logout: Gongjik ends the official's Gongjik session too.
      const end = oidc.buildEndSessionUrl(config, {
        id_token_hint: user.idToken,
        ...(options.postLogoutRedirectUri ? { post_logout_redirect_uri: options.postLogoutRedirectUri } : {}),
      });
      return redirect(res, end.href, { 'set-cookie': clear });
    }

    send(res, 404, page(title, '<p>없는 페이지입니다.</p>'));
  }

  return {
    sessions,
    handler(req: IncomingMessage, res: ServerResponse) {
      handle(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, page(title, '<p>오류가 났습니다.</p>'));
        else res.end();
      });
    },
  };
}

/** Starts the work system on `port` (0: any free port). */
export async function startRelyingParty(
  options: RelyingPartyOptions,
  listen: { port: number; host?: string },
): Promise<{ server: Server; url: string; sessions: Map<string, { user?: SignedInUser }> }> {
  const rp = await createRelyingParty(options);
  const server = createServer(rp.handler);
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${listen.host ?? '127.0.0.1'}:${port}`, sessions: rp.sessions };
}

if (import.meta.main) {
  const env = process.env;
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`set ${k} (see examples/relying-party/README.md)`);
    return v;
  };
  const redirectUri = env.REDIRECT_URI ?? 'http://localhost:3000/callback';
  const { url } = await startRelyingParty(
    {
      issuer: need('GONGJIK_ISSUER'),
      clientId: need('CLIENT_ID'),
      clientSecret: need('CLIENT_SECRET'),
      redirectUri,
      ...(env.POST_LOGOUT_REDIRECT_URI ? { postLogoutRedirectUri: env.POST_LOGOUT_REDIRECT_URI } : {}),
      allowInsecureIssuer: env.GONGJIK_ISSUER?.startsWith('http://') ?? false,
    },
    { port: Number(new URL(redirectUri).port || 3000), host: new URL(redirectUri).hostname },
  );
  console.log(`work system listening on ${url}`);
}
