// The wallet behind the screens: the headless Wallet of @gongjik/mobile-id on IndexedDB storage,
// plus what only the PWA does — the install session split into the screens' steps, the live
// status, biometrics (a WebAuthn credential the issuer verifies: an unlock without the PIN), and
// the issuer's problem codes kept intact.
import { isGongjikError } from '@gongjik/errors';
import {
  type CredentialOffer,
  createPinProof,
  type DeviceKey,
  derivePinVerifier,
  type FetchLike,
  type IssuancePreview,
  type IssuerJwks,
  PRE_AUTHORIZED_GRANT,
  parseCredentialOffer,
  parseJws,
  readUnlockToken,
  SD_JWT_VC_TYP,
  splitSdJwt,
  Wallet,
  type WalletCard,
} from '@gongjik/mobile-id';
import { createCredential, getAssertion, platformAuthenticatorAvailable } from '../biometrics/webauthn.ts';
import { ApiError, apiErrorOf, BadResponseError, NetworkError } from '../errors/api-error.ts';
import { ClientError } from '../errors/client-error.ts';
import { fetchCardStatus, type KnownStatus } from '../status/status.ts';
import type { IndexedDbWalletStorage } from '../storage/idb.ts';
import type { WalletConfig } from './config.ts';
import type {
  CardView,
  IdentityPreview,
  InstallSession,
  PinOutcome,
  PresentationView,
  WalletService,
  WalletSnapshot,
} from './service.ts';

const KEY_STATUS = 'pwa-status';
const KEY_BIOMETRICS = 'pwa-biometrics';
const KEY_JWKS = 'pwa-issuer-jwks';
/** The headless wallet keeps the issuance access token here until the PIN is set. */
const KEY_INSTALL_TOKEN = 'install-token';
/** The headless wallet's device key and unlock token (a biometric unlock stores the token there too). */
const KEY_DEVICE = 'device-key';
const KEY_UNLOCK = 'unlock';

/** What the PWA keeps of an enrolment: the credential's id (the issuer holds its public key). */
interface BiometricMarker {
  readonly credentialId: string;
  readonly enrolledAt: number;
}

const MAX_BODY = 256 * 1024;

/**
 * fetch for the Wallet and the status check: a refusal with a problem+json `code` becomes an
 * ApiError (the headless wallet would reduce it to ERR_MID_ISSUER_REFUSED), an unreachable server
 * a NetworkError. Both travel out of the Wallet as the `cause` of its error; `unwrap` finds them.
 */
export function problemAwareFetch(base: FetchLike): FetchLike {
  return async (url, init) => {
    let res: Response;
    try {
      res = await base(url, { ...init, credentials: 'omit', cache: 'no-store' });
    } catch (err) {
      throw new NetworkError(err);
    }
    if (res.ok) return res;
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = text.length <= MAX_BODY ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
      throw apiErrorOf(res.status, body);
    }
    return res;
  };
}

/** The ApiError/NetworkError a Wallet error carries as its cause, or the error itself. */
export function unwrap(err: unknown): unknown {
  if (isGongjikError(err) && err.code === 'ERR_MID_ISSUER_REFUSED') {
    const cause = (err as Error).cause;
    if (cause instanceof ApiError || cause instanceof NetworkError) return cause;
  }
  return err;
}

async function unwrapped<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw unwrap(err);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function agencyName(value: unknown): string {
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string')
    return (value as { name: string }).name;
  return text(value);
}

/** When the card became valid: the SD-JWT's `nbf` (or `iat`), in seconds; null when unreadable. */
function validFromOf(card: WalletCard): number | null {
  try {
    const payload = parseJws(splitSdJwt(card.sdJwt).jwt, 'SD-JWT', SD_JWT_VC_TYP).payload;
    const t = typeof payload.nbf === 'number' ? payload.nbf : payload.iat;
    return typeof t === 'number' ? t : null;
  } catch {
    return null;
  }
}

/** The card screen's view of a stored card. */
export function cardView(card: WalletCard): CardView {
  const c = card.claims;
  const validFrom = validFromOf(card);
  return {
    name: text(c.name),
    employeeNumber: text(c.employee_number),
    agency: agencyName(c.agency),
    department: text(c.department),
    position: text(c.position),
    validFrom: validFrom === null ? null : validFrom * 1000,
    validUntil: card.validUntil * 1000,
    installedAt: card.installedAt * 1000,
    hasGate: card.gate !== undefined,
  };
}

function previewView(p: IssuancePreview): IdentityPreview {
  return {
    name: p.name,
    agency: agencyName(p.agency),
    employeeNumber: p.employeeNumber,
    ...(p.department ? { department: p.department } : {}),
    ...(p.position ? { position: p.position } : {}),
  };
}

/** The offer URL inside an install link: `?offer=`, `?credential_offer_uri=` or an offer by value. */
export function offerReferenceOf(link: string): { uri: string } | { offer: string } {
  let params: URLSearchParams;
  try {
    params = new URL(link).searchParams;
  } catch {
    throw new ClientError('welcome.linkInvalid');
  }
  const uri = params.get('offer') ?? params.get('credential_offer_uri');
  if (uri) return { uri };
  const offer = params.get('credential_offer');
  if (offer) return { offer };
  throw new ClientError('welcome.linkInvalid');
}

/** SD-JWT VC issuer metadata (`{issuer, jwks}`): `/.well-known/jwt-vc-issuer` + the issuer's path. */
export function jwtVcIssuerUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/jwt-vc-issuer${path}`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export interface WalletServiceOptions {
  readonly storage: IndexedDbWalletStorage;
  readonly config: WalletConfig;
  readonly fetch?: FetchLike;
  readonly clock?: () => Date;
}

export function createWalletService(options: WalletServiceOptions): WalletService {
  const { storage, config } = options;
  const clock = options.clock ?? (() => new Date());
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const fetchFn = problemAwareFetch(baseFetch);
  const wallet = new Wallet({ storage, fetch: fetchFn, clock });

  async function requireCard(): Promise<WalletCard> {
    const card = await wallet.card();
    if (!card) throw new ClientError('error.noCard');
    return card;
  }

  async function issuerKeys(card: WalletCard, refresh: boolean): Promise<IssuerJwks> {
    const cached = await storage.get<IssuerJwks>(KEY_JWKS);
    if (cached && !refresh) return cached;
    const res = await fetchFn(jwtVcIssuerUrl(card.issuer), {
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new ApiError(res.status, null);
    const meta = (await res.json()) as { issuer?: unknown; jwks?: unknown };
    const jwks = meta.jwks as IssuerJwks | undefined;
    if (meta.issuer !== card.issuer || !jwks || !Array.isArray(jwks.keys)) throw new BadResponseError('jwks');
    await storage.set(KEY_JWKS, jwks);
    return jwks;
  }

  async function pinOutcome(work: () => Promise<number>): Promise<PinOutcome> {
    try {
      const exp = await work();
      return { ok: true, until: exp * 1000 };
    } catch (raw) {
      const err = unwrap(raw);
      // The issuer's refusal, whether it reached us as an ApiError or as the Wallet's GongjikError.
      const code = err instanceof ApiError ? err.code : isGongjikError(err) ? err.code : null;
      const details: Record<string, unknown> =
        err instanceof ApiError ? err.details : isGongjikError(err) ? err.details : {};
      if (code === 'ERR_MID_WEBAUTHN_NOT_ENROLLED') await storage.delete(KEY_BIOMETRICS);
      if (code === 'ERR_MID_PIN_WRONG' || code === 'ERR_MID_WEBAUTHN_INVALID') {
        const remaining = Number(details.remaining);
        return { ok: false, locked: false, remaining: Number.isFinite(remaining) ? remaining : null };
      }
      if (code === 'ERR_MID_PIN_LOCKED') {
        await storage.set<KnownStatus>(KEY_STATUS, { state: 'invalid', checkedAt: clock().getTime() });
        return { ok: false, locked: true };
      }
      throw err;
    }
  }

  const epochNow = () => Math.floor(clock().getTime() / 1000);

  /** The issuer's WebAuthn endpoints sit beside its unlock endpoint (…/mid/unlock → …/mid/webauthn/…). */
  function webauthnUrl(card: WalletCard, path: string): string {
    if (!card.pinEndpoints) throw new ClientError('error.noCard');
    return new URL(`webauthn/${path}`, card.pinEndpoints.unlock).href;
  }

  async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new ApiError(res.status, null);
    const json = (await res.json()) as unknown;
    if (!json || typeof json !== 'object') throw new BadResponseError('json');
    return json as Record<string, unknown>;
  }

  /** A PIN proof (act unlock) over a fresh challenge: what the issuer wants before an enrolment. */
  async function pinProof(card: WalletCard, pin: string): Promise<string> {
    const device = await storage.get<DeviceKey>(KEY_DEVICE);
    if (!card.pinEndpoints || !card.jkt || !device) throw new ClientError('error.noCard');
    const c = await postJson(card.pinEndpoints.challenge, { jkt: card.jkt });
    if (typeof c.nonce !== 'string' || typeof c.salt !== 'string' || typeof c.iterations !== 'number')
      throw new BadResponseError('PIN challenge');
    return createPinProof({
      action: 'unlock',
      audience: card.issuer,
      nonce: c.nonce,
      verifier: await derivePinVerifier(pin, c.salt, c.iterations),
      deviceKey: device,
      now: clock(),
    });
  }

  return {
    async snapshot(): Promise<WalletSnapshot> {
      const card = await wallet.card();
      if (!card) return { card: null, pinPending: false, status: null, unlock: null, biometrics: false };
      let until: number | undefined;
      try {
        until = await wallet.unlockedUntil();
      } catch {
        until = undefined;
      }
      return {
        card: cardView(card),
        pinPending: (await storage.get(KEY_INSTALL_TOKEN)) !== undefined,
        status: (await storage.get<KnownStatus>(KEY_STATUS)) ?? null,
        unlock: until === undefined ? null : { until: until * 1000 },
        biometrics: (await storage.get(KEY_BIOMETRICS)) !== undefined,
      };
    },

    async beginInstall(link: string): Promise<InstallSession> {
      const ref = offerReferenceOf(link);
      let offer: CredentialOffer;
      if ('uri' in ref) {
        if (!sameOrigin(ref.uri, config.issuer))
          throw new ClientError('error.wrongIssuer', { host: new URL(config.issuer).host });
        const res = await fetchFn(ref.uri, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new ApiError(res.status, null);
        offer = parseCredentialOffer(await res.text());
      } else {
        offer = parseCredentialOffer(ref.offer);
      }
      if (offer.credential_issuer.replace(/\/+$/, '') !== config.issuer)
        throw new ClientError('error.wrongIssuer', { host: new URL(config.issuer).host });
      const byValue = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
      const txCodeLength = offer.grants[PRE_AUTHORIZED_GRANT].tx_code?.length ?? 6;

      // The headless install runs in one call; the screens' steps live inside its `confirm`
      // callback: the code is redeemed and the preview shown; issuance continues once the holder
      // confirmed and chose a PIN.
      let decide: ((ok: boolean) => void) | null = null;
      let installing: Promise<WalletCard> | null = null;
      return {
        issuerHost: new URL(offer.credential_issuer).host,
        txCodeLength,
        redeem(txCode) {
          return new Promise<IdentityPreview>((resolve, reject) => {
            const decision = new Promise<boolean>((r) => {
              decide = r;
            });
            installing = wallet.install(byValue, txCode, {
              confirm: (preview) => {
                resolve(previewView(preview));
                return decision;
              },
            });
            installing.catch((err) => reject(unwrap(err)));
          });
        },
        reject() {
          installing?.catch(() => undefined);
          decide?.(false);
        },
        async complete(pin) {
          if (!installing || !decide) throw new ClientError('error.unexpected');
          decide(true);
          await unwrapped(installing);
          await storage.delete(KEY_STATUS);
          await storage.delete(KEY_BIOMETRICS);
          await unwrapped(wallet.setPin(pin));
        },
      };
    },

    async finishPin(pin) {
      await unwrapped(wallet.setPin(pin));
    },

    biometricsAvailable: platformAuthenticatorAvailable,

    async enrolBiometrics(pin) {
      const card = await requireCard();
      // The PIN first (checked and counted by the issuer), then the platform credential.
      const options = await postJson(webauthnUrl(card, 'register/options'), {
        proof: await pinProof(card, pin),
      });
      let response: Record<string, unknown>;
      try {
        response = await createCredential(options);
      } catch {
        throw new ClientError('install.bio.failed');
      }
      const answer = await postJson(webauthnUrl(card, 'register'), { jkt: card.jkt, response });
      if (typeof answer.credentialId !== 'string') throw new BadResponseError('credentialId');
      await storage.set<BiometricMarker>(KEY_BIOMETRICS, {
        credentialId: answer.credentialId,
        enrolledAt: clock().getTime(),
      });
    },

    async refreshStatus() {
      const card = await requireCard();
      const check = async (refresh: boolean) =>
        fetchCardStatus({
          statusClaim: card.status,
          issuerKeys: await issuerKeys(card, refresh),
          fetch: fetchFn,
          now: clock(),
        });
      let status: KnownStatus;
      try {
        status = await check(false);
      } catch (err) {
        // A rotated issuer key: fetch the keys again, once.
        if (!isGongjikError(err) || err.code !== 'ERR_MID_ISSUER_UNKNOWN') throw err;
        status = await check(true);
      }
      await storage.set<KnownStatus>(KEY_STATUS, status);
      return status;
    },

    async unlock(pin) {
      return pinOutcome(() => wallet.unlock(pin));
    },

    async unlockWithBiometrics() {
      const card = await requireCard();
      return pinOutcome(async () => {
        const options = await postJson(webauthnUrl(card, 'unlock/options'), { jkt: card.jkt });
        let response: Record<string, unknown>;
        try {
          response = await getAssertion(options);
        } catch {
          // cancelled, or the authenticator could not verify the holder: nothing reached the issuer
          throw new ClientError('lock.bioFailed');
        }
        const answer = await postJson(webauthnUrl(card, 'unlock'), { jkt: card.jkt, response });
        if (typeof answer.unlockToken !== 'string') throw new BadResponseError('unlockToken');
        const { exp, jkt } = readUnlockToken(answer.unlockToken);
        if (jkt !== card.jkt) throw new BadResponseError('unlock token cnf');
        await storage.set(KEY_UNLOCK, answer.unlockToken);
        return exp;
      });
    },

    async lock() {
      await wallet.lock();
    },

    async gateQr(gateGroup) {
      return unwrapped(wallet.gateQr(gateGroup));
    },

    async reportLost(_pin) {
      throw new ClientError('lost.elsewhere');
    },

    async reactivate(_pin) {
      throw new ClientError('reactivate.webOnly');
    },

    canReportLost() {
      return false;
    },

    canReactivate() {
      return false;
    },

    async reset() {
      await wallet.reset();
      await storage.clear();
    },

    async previewPresentation(link) {
      const card = await requireCard();
      let preview: Awaited<ReturnType<Wallet['preview']>>;
      try {
        preview = await wallet.preview(link);
      } catch (err) {
        if (isGongjikError(err) && err.code === 'ERR_MID_MALFORMED')
          throw new ClientError('present.linkInvalid');
        throw err;
      }
      // The CSP lets the wallet reach its issuer's origin only: that is where Gongjik's verifiers
      // (sign-in, library) answer. Say so plainly instead of failing on the network.
      if (!sameOrigin(preview.request.response_uri, config.issuer))
        throw new ClientError('present.verifierUnknown', { host: new URL(config.issuer).host });
      const status = await storage.get<KnownStatus>(KEY_STATUS);
      if (status && (status.state === 'suspended' || status.state === 'invalid'))
        throw new ClientError('present.notUsable');
      const disclosed = Object.entries(preview.claims).map(([name, value]) => ({
        name,
        value:
          name === 'agency' ? agencyName(value) : typeof value === 'string' ? value : JSON.stringify(value),
      }));
      return {
        verifierName: preview.verifier.name ?? null,
        verifierHost: new URL(preview.request.response_uri).host,
        matchCode: preview.matchCode,
        disclosed,
        kept: Object.keys(card.claims).filter((n) => !(n in preview.claims)),
      } satisfies PresentationView;
    },

    async present(link, pin) {
      // A fresh, server-checked PIN for every presentation: consent is given with the PIN.
      const outcome = await pinOutcome(() => wallet.unlock(pin));
      if (!outcome.ok) return outcome;
      await unwrapped(wallet.present(link));
      return outcome;
    },

    async signatureRequests() {
      return unwrapped(wallet.signatureRequests());
    },

    async signRequest(request, pin) {
      return pinOutcome(async () => {
        await wallet.signRequest(request, pin);
        return (await wallet.unlockedUntil()) ?? epochNow();
      });
    },

    async declineRequest(id) {
      await unwrapped(wallet.declineRequest(id));
    },
  };
}
