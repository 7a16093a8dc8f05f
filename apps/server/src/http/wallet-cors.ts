// CORS for the wallet PWA, which lives on its own origin (GONGJIK_MID_WALLET_URL) and calls the
// issuer from the browser: the OpenID4VCI metadata, offer, token, nonce, credential and preview
// endpoints, PIN and unlock, the OpenID4VP response endpoints (direct_post) — allowed for the wallet's origin only, without cookies. The status
// lists and the issuer's keys are public (any verifier page may check a card): allowed for all.
import type { FastifyInstance } from 'fastify';

const WALLET_PATHS =
  /^\/(?:\.well-known\/(?:openid-credential-issuer|oauth-authorization-server|jwt-vc-issuer)|api\/v1\/mid\/(?:offers\/[^/]+|token|nonce|credential|preview|pin|pin\/challenge|unlock|webauthn\/(?:register|unlock)(?:\/options)?|vp\/login|vp\/library|sign\/pending|sign\/requests\/[^/]+\/(?:complete|decline)))$/;
const PUBLIC_PATHS = /^\/api\/v1\/mid\/(?:status\/\d+|jwks)$/;

/** Adds the CORS answers for `walletOrigin` (an origin such as `https://wallet.gongjik.go.kr`). */
export function installWalletCors(app: FastifyInstance, walletOrigin: string): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const origin = request.headers.origin;
    let allow: string | null = null;
    if (PUBLIC_PATHS.test(path)) allow = '*';
    else if (origin === walletOrigin && WALLET_PATHS.test(path)) allow = origin;
    if (allow === null) return;
    reply.header('access-control-allow-origin', allow);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'etag, www-authenticate');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'authorization, content-type, accept, if-none-match')
        .header('access-control-max-age', '600')
        .send();
    }
  });
}
