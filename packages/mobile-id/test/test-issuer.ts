// A tiny issuer and verifier built from the package's own functions, reached through an injected
// `fetch`: enough to drive the headless wallet without a server.
import {
  buildAuthorizationServerMetadata,
  buildCredentialOffer,
  buildCredentialResponse,
  buildIssuerMetadata,
  buildNonceResponse,
  buildTokenResponse,
  createAuthorizationRequest,
  credentialOfferUri,
  GATE_CONFIGURATION,
  type IssuerKey,
  issueGateCredential,
  issueOfficialIdCredential,
  OFFICIAL_ID_CONFIGURATION,
  type OfficialIdClaims,
  officialIdQuery,
  parseCredentialRequest,
  parseTokenRequest,
  parseVpResponseForm,
  StatusIndexAllocator,
  StatusList,
  signStatusListToken,
  toJwks,
  type VerifiedSdJwt,
  verifyProofJwt,
  verifyVpResponse,
  wellKnownUrl,
} from '../src/index.ts';

interface PendingOffer {
  txCode: string;
  claims: OfficialIdClaims;
  subject: string;
  used: boolean;
  expiresAt: number;
  /** One status entry for the card: the SD-JWT VC and the gate credential share it. */
  idx?: number;
}

export class TestIssuer {
  readonly issuer: string;
  readonly key: IssuerKey;
  readonly list = new StatusList(2 ** 12);
  readonly statusUri: string;
  readonly issued: { subject: string; idx: number }[] = [];
  readonly #alloc = new StatusIndexAllocator(2 ** 12);
  readonly #offers = new Map<string, PendingOffer>();
  readonly #tokens = new Map<string, string>();
  readonly #nonces = new Set<string>();
  readonly #clock: () => Date;

  constructor(issuer: string, key: IssuerKey, clock: () => Date) {
    this.issuer = issuer;
    this.key = key;
    this.statusUri = `${issuer}/status/1`;
    this.#clock = clock;
  }

  get jwks() {
    return toJwks([this.key]);
  }

  /** What HR + approval + SMS produce: the install link and the separate one-time code. */
  offer(subject: string, claims: OfficialIdClaims): { uri: string; txCode: string } {
    const code = crypto.randomUUID();
    const txCode = String(100000 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 900000));
    const expiresAt = this.#clock().getTime() + 86_400_000;
    this.#offers.set(code, { txCode, claims, subject, used: false, expiresAt });
    const offer = buildCredentialOffer({
      issuer: this.issuer,
      configurationIds: [OFFICIAL_ID_CONFIGURATION, GATE_CONFIGURATION],
      preAuthorizedCode: code,
    });
    return { uri: credentialOfferUri(offer, 'https://wallet.gongjik.test/install'), txCode };
  }

  readonly fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url === wellKnownUrl(this.issuer, 'openid-credential-issuer'))
      return json(buildIssuerMetadata(this.issuer));
    if (url === wellKnownUrl(this.issuer, 'oauth-authorization-server')) {
      return json(buildAuthorizationServerMetadata(this.issuer));
    }
    if (url === this.statusUri) {
      // The status list as the issuer publishes it (wallets fetch it as signing evidence).
      const token = await signStatusListToken({
        list: this.list,
        uri: this.statusUri,
        issuer: this.issuer,
        issuerKey: this.key,
        now: this.#clock(),
        ttlSeconds: 300,
        validSeconds: 86_400,
      });
      return new Response(token, { headers: { 'content-type': 'application/statuslist+jwt' } });
    }
    if (u.pathname === '/token' && init?.method === 'POST') {
      const { preAuthorizedCode, txCode } = parseTokenRequest(new URLSearchParams(String(init.body)));
      const offer = this.#offers.get(preAuthorizedCode);
      if (!offer || offer.used || offer.txCode !== txCode || offer.expiresAt < this.#clock().getTime()) {
        return json({ error: 'invalid_grant' }, 400);
      }
      offer.used = true;
      const token = crypto.randomUUID();
      this.#tokens.set(token, preAuthorizedCode);
      return json(buildTokenResponse(token, 300));
    }
    if (u.pathname === '/nonce' && init?.method === 'POST') {
      const nonce = crypto.randomUUID();
      this.#nonces.add(nonce);
      return json(buildNonceResponse(nonce));
    }
    if (u.pathname === '/credential' && init?.method === 'POST') {
      const auth = new Headers(init.headers).get('authorization') ?? '';
      const code = this.#tokens.get(auth.replace(/^Bearer /, ''));
      if (!code) return json({ error: 'invalid_token' }, 401);
      const offer = this.#offers.get(code)!;
      const { configurationId, proofJwt } = parseCredentialRequest(JSON.parse(String(init.body)));
      const claimed = JSON.parse(Buffer.from(proofJwt.split('.')[1]!, 'base64url').toString())
        .nonce as string;
      if (!this.#nonces.delete(claimed)) return json({ error: 'invalid_nonce' }, 400);
      const holderJwk = await verifyProofJwt(proofJwt, {
        issuer: this.issuer,
        nonce: claimed,
        now: this.#clock(),
      });
      if (offer.idx === undefined) {
        offer.idx = this.#alloc.allocate();
        this.issued.push({ subject: offer.subject, idx: offer.idx });
      }
      const idx = offer.idx;
      const common = {
        issuer: this.issuer,
        issuerKey: this.key,
        holderJwk,
        status: { idx, uri: this.statusUri },
        validFrom: this.#clock(),
        validUntil: new Date(this.#clock().getTime() + 3 * 365 * 86_400_000),
      };
      const credential =
        configurationId === OFFICIAL_ID_CONFIGURATION
          ? await issueOfficialIdCredential({ ...common, claims: offer.claims, now: this.#clock() })
          : await issueGateCredential({
              ...common,
              subject: offer.subject,
              agencyCode: offer.claims.agency.code,
            });
      return json(buildCredentialResponse(credential));
    }
    return json({ error: 'not_found' }, 404);
  };
}

/** A verifier (e.g. the library) with a direct_post endpoint. */
export class TestVerifier {
  readonly clientId: string;
  readonly received: Record<string, VerifiedSdJwt>[] = [];
  readonly #pending = new Map<string, ReturnType<typeof createAuthorizationRequest>>();
  readonly #issuerJwks: () => { keys: readonly unknown[] };
  readonly #clock: () => Date;

  constructor(clientId: string, issuerJwks: () => { keys: readonly unknown[] }, clock: () => Date) {
    this.clientId = clientId;
    this.#issuerJwks = issuerJwks;
    this.#clock = clock;
  }

  request(claims: string[]) {
    const req = createAuthorizationRequest({
      clientId: this.clientId,
      clientName: '정부세종청사 도서관',
      responseUri: `${this.clientId}/response`,
      dcqlQuery: officialIdQuery(claims),
    });
    this.#pending.set(req.state, req);
    return req;
  }

  readonly fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    if (url !== `${this.clientId}/response` || init?.method !== 'POST')
      return json({ error: 'not_found' }, 404);
    try {
      const response = parseVpResponseForm(new URLSearchParams(String(init.body)));
      const req = this.#pending.get(response.state);
      if (!req) return json({ error: 'invalid_request' }, 400);
      this.#pending.delete(response.state); // single use
      const verified = await verifyVpResponse(response, req, {
        issuerKeys: this.#issuerJwks() as never,
        now: this.#clock(),
      });
      this.received.push(verified);
      return json({ redirect_uri: `${this.clientId}/done` });
    } catch (err) {
      return json({ error: 'invalid_presentation', code: (err as { code?: string }).code }, 400);
    }
  };
}

/** Routes a URL to whichever test party serves its origin. */
export function router(
  ...parties: { origin: string; fetch: (u: string, i?: RequestInit) => Promise<Response> }[]
) {
  return (url: string, init?: RequestInit) => {
    const party = parties.find((p) => url.startsWith(p.origin));
    if (!party) return Promise.resolve(new Response('{"error":"no_route"}', { status: 502 }));
    return party.fetch(url, init);
  };
}
