import { GATE_CREDENTIAL_TYP } from '../gate/format.ts';
import { createGateQr } from '../gate/proof.ts';
import { jwkThumbprint, type P256PublicJwk } from '../keys/jwk.ts';
import { parseJws } from '../keys/jws.ts';
import { type DeviceKey, generateDeviceKey } from '../keys/keys.ts';
import {
  buildCredentialRequest,
  parseCredentialResponse,
  parseNonceResponse,
} from '../oid4vci/credential.ts';
import { GATE_CONFIGURATION, OFFICIAL_ID_CONFIGURATION, wellKnownUrl } from '../oid4vci/metadata.ts';
import { parseCredentialOffer } from '../oid4vci/offer.ts';
import { createProofJwt } from '../oid4vci/proof.ts';
import { buildTokenRequest, parseTokenResponse } from '../oid4vci/token.ts';
import { PRE_AUTHORIZED_GRANT } from '../oid4vci/types.ts';
import { requestedClaimNames } from '../oid4vp/dcql.ts';
import { vpMatchCode } from '../oid4vp/match-code.ts';
import { type AuthorizationRequest, parseAuthorizationRequest } from '../oid4vp/request.ts';
import { vpResponseForm } from '../oid4vp/response.ts';
import { SD_JWT_VC_TYP, splitSdJwt } from '../sd-jwt/format.ts';
import { disclosableClaims, presentSdJwt } from '../sd-jwt/present.ts';
import { createSignListProof } from '../signature/list-proof.ts';
import { type SignatureBundle, signDocument } from '../signature/sign.ts';
import { readStatusClaim } from '../status-list/reference.ts';
import { assertPinAcceptable, derivePinVerifier } from '../unlock/pin.ts';
import { createPinProof } from '../unlock/proof.ts';
import { readUnlockToken } from '../unlock/token.ts';
import { isObject } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { epochSeconds } from '../util/time.ts';
import { type FetchLike, fetchJson } from './http.ts';
import type { WalletStorage } from './storage.ts';

const KEY_DEVICE = 'device-key';
const KEY_CARD = 'card';
const KEY_INSTALL_TOKEN = 'install-token';
const KEY_UNLOCK = 'unlock';

/**
 * Gongjik's extension members of the issuer metadata: where the wallet sets its PIN and unlocks
 * (see docs/mobile-id-protocol.md). An issuer without them issues cards that need no unlock.
 */
export interface PinEndpoints {
  /** POST {jkt} → {nonce, salt, iterations} */
  challenge: string;
  /** POST {proof} (act set | change); `set` also needs the issuance access token */
  pin: string;
  /** POST {proof} (act unlock) → {unlockToken, expiresAt} */
  unlock: string;
}

/** What the issuer shows about the holder before the card is made (after the one-time code). */
export interface IssuancePreview {
  name: string;
  employeeNumber: string;
  agency: { name: string; code: string };
  department: string;
  position: string;
}

export interface InstallOptions {
  /** Sets this PIN right after issuance (with the still-valid access token). */
  pin?: string;
  /** Shown the identity the issuer will put on the card; answering false aborts the installation. */
  confirm?: (preview: IssuancePreview) => boolean | Promise<boolean>;
}

/** What the wallet holds after installation. */
export interface WalletCard {
  issuer: string;
  /** The SD-JWT VC as issued (`<jwt>~<disclosures>~`). */
  sdJwt: string;
  /** The compact gate credential, when issued. */
  gate?: string;
  /** Every disclosable claim (for the card screen and consent). */
  claims: Record<string, unknown>;
  validUntil: number;
  status: unknown;
  installedAt: number;
  /** RFC 7638 thumbprint of the device key (how the issuer finds the card for PIN and unlock). */
  jkt?: string;
  /** Set when the issuer protects presentations with a server-checked PIN. */
  pinEndpoints?: PinEndpoints;
}

/** What the holder is asked to approve before a presentation. */
export interface PresentationPreview {
  request: AuthorizationRequest;
  verifier: { clientId: string; name?: string; responseOrigin: string };
  /** Exactly the claims that will leave the phone, with their values. */
  claims: Record<string, unknown>;
  /** The short code the asking screen shows too (see vpMatchCode). */
  matchCode: string;
}

/** A signature request addressed to this card, as the issuer lists it. */
export interface SignatureRequestView {
  id: string;
  title: string;
  /** SHA-256 of the document (hex). */
  sha256: string;
  reason: string | null;
  requester: { clientId: string; name: string };
  createdAt: string;
  expiresAt: string;
}

export interface WalletOptions {
  storage: WalletStorage;
  fetch: FetchLike;
  clock?: () => Date;
  /**
   * Makes the device key extractable so a file-backed storage can keep it as a JWK. For the CLI
   * and automation only: a wallet for people keeps it non-extractable (the default).
   */
  extractableDeviceKey?: boolean;
}

/**
 * The headless wallet: keys, storage and protocol flows, used by the PWA, the CLI and tests.
 * The device key is a non-extractable WebCrypto P-256 key created at installation.
 */
export class Wallet {
  readonly #storage: WalletStorage;
  readonly #fetch: FetchLike;
  readonly #clock: () => Date;
  readonly #extractable: boolean;

  constructor(options: WalletOptions) {
    this.#extractable = options.extractableDeviceKey ?? false;
    this.#storage = options.storage;
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * Redeems a credential offer (pre-authorized code + one-time `txCode`) and stores the card. The
   * offer may be given by value (`credential_offer=`) or by reference (`credential_offer_uri=`, as in
   * Gongjik's SMS install links). With `options.pin` the PIN is set at once.
   */
  async install(offerUri: string, txCode: string, options: InstallOptions = {}): Promise<WalletCard> {
    if (options.pin !== undefined) assertPinAcceptable(options.pin);
    const offer = await this.#resolveOffer(offerUri);
    const grant = offer.grants[PRE_AUTHORIZED_GRANT];
    if (grant.tx_code) {
      const ok =
        /^[0-9]+$/.test(txCode) &&
        (grant.tx_code.length === undefined || txCode.length === grant.tx_code.length);
      if (!ok) fail('ERR_MID_TX_CODE_INVALID');
    }
    const issuer = offer.credential_issuer;
    const meta = await fetchJson(this.#fetch, wellKnownUrl(issuer, 'openid-credential-issuer'));
    ensure(isObject(meta) && meta.credential_issuer === issuer, 'issuer metadata');
    ensure(
      typeof meta.credential_endpoint === 'string' && typeof meta.nonce_endpoint === 'string',
      'issuer metadata',
    );
    const as = Array.isArray(meta.authorization_servers) ? String(meta.authorization_servers[0]) : issuer;
    const asMeta = await fetchJson(this.#fetch, wellKnownUrl(as, 'oauth-authorization-server'));
    ensure(isObject(asMeta) && typeof asMeta.token_endpoint === 'string', 'authorization server metadata');

    const token = parseTokenResponse(
      await fetchJson(this.#fetch, asMeta.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: buildTokenRequest({
          preAuthorizedCode: grant['pre-authorized_code'],
          ...(grant.tx_code ? { txCode } : {}),
        }).toString(),
      }),
    );

    const pinEndpoints = readPinEndpoints(meta);
    if (options.confirm) {
      ensure(typeof meta.gongjik_preview_endpoint === 'string', 'issuer metadata');
      const preview = await fetchJson(this.#fetch, meta.gongjik_preview_endpoint, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      ensure(isObject(preview) && typeof preview.name === 'string', 'preview');
      if (!(await options.confirm(preview as unknown as IssuancePreview)))
        fail('ERR_MID_WALLET_NO_CREDENTIAL');
    }

    const device = await generateDeviceKey({ extractable: this.#extractable });
    const received: Record<string, string> = {};
    for (const configurationId of offer.credential_configuration_ids) {
      const { c_nonce } = parseNonceResponse(
        await fetchJson(this.#fetch, meta.nonce_endpoint, { method: 'POST' }),
      );
      const proof = await createProofJwt({ issuer, nonce: c_nonce, deviceKey: device, now: this.#clock() });
      received[configurationId] = parseCredentialResponse(
        await fetchJson(this.#fetch, meta.credential_endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
          body: JSON.stringify(buildCredentialRequest(configurationId, proof)),
        }),
      );
    }
    const sdJwt = received[OFFICIAL_ID_CONFIGURATION];
    ensure(sdJwt !== undefined, 'credential response');
    const issued = parseJws(splitSdJwt(sdJwt).jwt, 'SD-JWT', SD_JWT_VC_TYP).payload;
    checkIssuedTo(issued, issuer, device.publicJwk);
    const gate = received[GATE_CONFIGURATION];
    if (gate !== undefined) {
      const g = parseJws(gate, 'gate credential', GATE_CREDENTIAL_TYP).payload;
      checkIssuedTo(g, issuer, device.publicJwk);
      // One card, one status entry: suspending it must stop the gate credential too.
      ensure(JSON.stringify(g.status) === JSON.stringify(issued.status), 'gate credential status');
    }

    const card: WalletCard = {
      issuer,
      sdJwt,
      ...(gate !== undefined ? { gate } : {}),
      claims: await disclosableClaims(sdJwt),
      validUntil: issued.exp as number,
      status: issued.status,
      installedAt: Math.floor(this.#clock().getTime() / 1000),
      jkt: await jwkThumbprint(device.publicJwk),
      ...(pinEndpoints ? { pinEndpoints } : {}),
    };
    // One card and one key per wallet: a new installation replaces both.
    await this.#storage.set<DeviceKey>(KEY_DEVICE, device);
    await this.#storage.set<WalletCard>(KEY_CARD, card);
    await this.#storage.delete(KEY_UNLOCK);
    if (pinEndpoints) {
      const expiresAt = epochSeconds(this.#clock()) + (token.expires_in || 300);
      await this.#storage.set(KEY_INSTALL_TOKEN, { accessToken: token.access_token, expiresAt });
      if (options.pin !== undefined) await this.setPin(options.pin);
    }
    return card;
  }

  /**
   * Sets the first PIN (refusing trivial ones with ERR_MID_PIN_TRIVIAL). Needs the access token
   * of the installation, so it must happen soon after install(); the PIN itself never leaves the
   * wallet — only a PBKDF2 verifier with the issuer's salt, inside a device-signed proof.
   */
  async setPin(pin: string): Promise<void> {
    assertPinAcceptable(pin);
    const { card, device, endpoints } = await this.#pinReady();
    const install = await this.#storage.get<{ accessToken: string; expiresAt: number }>(KEY_INSTALL_TOKEN);
    if (!install) fail('ERR_MID_TOKEN_INVALID');
    const challenge = await this.#pinChallenge(card, endpoints);
    const proof = await createPinProof({
      action: 'set',
      audience: card.issuer,
      nonce: challenge.nonce,
      verifier: await derivePinVerifier(pin, challenge.salt, challenge.iterations),
      deviceKey: device,
      now: this.#clock(),
    });
    await fetchJson(this.#fetch, endpoints.pin, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${install.accessToken}` },
      body: JSON.stringify({ proof }),
    });
    await this.#storage.delete(KEY_INSTALL_TOKEN);
  }

  /** Changes the PIN: the current one is checked by the server (a wrong one counts as a failure). */
  async changePin(currentPin: string, newPin: string): Promise<void> {
    assertPinAcceptable(newPin);
    const { card, device, endpoints } = await this.#pinReady();
    const challenge = await this.#pinChallenge(card, endpoints);
    const proof = await createPinProof({
      action: 'change',
      audience: card.issuer,
      nonce: challenge.nonce,
      verifier: await derivePinVerifier(currentPin, challenge.salt, challenge.iterations),
      newVerifier: await derivePinVerifier(newPin, challenge.salt, challenge.iterations),
      deviceKey: device,
      now: this.#clock(),
    });
    await fetchJson(this.#fetch, endpoints.pin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proof }),
    });
  }

  /**
   * Unlocks the card with the PIN, checked by the issuer (which counts failures and locks the card
   * at the limit). Keeps the issuer's unlock token until it expires; gate QRs and presentations
   * carry it. Returns its expiry (seconds since the epoch).
   */
  async unlock(pin: string): Promise<number> {
    const { card, device, endpoints } = await this.#pinReady();
    const challenge = await this.#pinChallenge(card, endpoints);
    const proof = await createPinProof({
      action: 'unlock',
      audience: card.issuer,
      nonce: challenge.nonce,
      verifier: await derivePinVerifier(pin, challenge.salt, challenge.iterations),
      deviceKey: device,
      now: this.#clock(),
    });
    const answer = await fetchJson(this.#fetch, endpoints.unlock, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proof }),
    });
    ensure(isObject(answer) && typeof answer.unlockToken === 'string', 'unlock response');
    const { exp, jkt } = readUnlockToken(answer.unlockToken);
    ensure(jkt === card.jkt, 'unlock token cnf');
    await this.#storage.set(KEY_UNLOCK, answer.unlockToken);
    return exp;
  }

  /** The stored unlock token's expiry, or undefined when locked (no token, or expired). */
  async unlockedUntil(): Promise<number | undefined> {
    const token = await this.#storage.get<string>(KEY_UNLOCK);
    if (!token) return undefined;
    const { exp } = readUnlockToken(token);
    return exp > epochSeconds(this.#clock()) ? exp : undefined;
  }

  /** Forgets the unlock token (the "lock now" button). */
  async lock(): Promise<void> {
    await this.#storage.delete(KEY_UNLOCK);
  }

  async card(): Promise<WalletCard | undefined> {
    return this.#storage.get<WalletCard>(KEY_CARD);
  }

  /** What a verifier's request would disclose, and to whom: show this before asking for consent. */
  async preview(requestUri: string): Promise<PresentationPreview> {
    const request = parseAuthorizationRequest(requestUri);
    const { card } = await this.#loaded();
    const query = request.dcql_query.credentials[0]!;
    const claims: Record<string, unknown> = {};
    for (const name of requestedClaimNames(query)) {
      if (!(name in card.claims)) fail('ERR_MID_CLAIM_MISSING', { claims: [name] });
      claims[name] = card.claims[name];
    }
    return {
      request,
      verifier: {
        clientId: request.client_id,
        ...(request.client_name ? { name: request.client_name } : {}),
        responseOrigin: new URL(request.response_uri).origin,
      },
      claims,
      matchCode: await vpMatchCode(request),
    };
  }

  /**
   * Presents the card to a verifier (after the holder approved the preview): exactly the requested
   * claims, key-bound to its `client_id` and `nonce`, posted to `response_uri` (direct_post).
   * Returns the verifier's JSON answer (e.g. `{ redirect_uri }`).
   */
  async present(requestUri: string): Promise<unknown> {
    const { request, claims } = await this.preview(requestUri);
    const { card, device } = await this.#loaded();
    const query = request.dcql_query.credentials[0]!;
    const unlockToken = await this.#unlockToken(card);
    const presentation = await presentSdJwt({
      credential: card.sdJwt,
      disclose: Object.keys(claims),
      audience: request.client_id,
      nonce: request.nonce,
      devicePrivateKey: device.privateKey,
      now: this.#clock(),
      ...(unlockToken ? { unlockToken } : {}),
    });
    return fetchJson(this.#fetch, request.response_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: vpResponseForm({ vp_token: { [query.id]: [presentation] }, state: request.state }).toString(),
    });
  }

  /** A fresh gate QR for `gateGroup` (valid 30 s; the PWA refreshes it every few seconds). */
  async gateQr(gateGroup: string): Promise<string> {
    const { card, device } = await this.#loaded();
    if (card.gate === undefined) fail('ERR_MID_WALLET_NO_CREDENTIAL');
    const unlockToken = await this.#unlockToken(card);
    return createGateQr({
      credential: card.gate,
      gateGroup,
      devicePrivateKey: device.privateKey,
      now: this.#clock(),
      ...(unlockToken ? { unlockToken } : {}),
    });
  }

  /** The signature requests waiting for this card (the issuer's `gongjik_signature_endpoint`). */
  async signatureRequests(): Promise<SignatureRequestView[]> {
    const { card, device } = await this.#loaded();
    const endpoint = await this.#signatureEndpoint(card);
    const proof = await createSignListProof({ audience: card.issuer, deviceKey: device, now: this.#clock() });
    const answer = await fetchJson(this.#fetch, `${endpoint}/pending`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proof }),
    });
    ensure(isObject(answer) && Array.isArray(answer.requests), 'signature requests');
    return answer.requests as SignatureRequestView[];
  }

  /**
   * Signs one request after the holder confirmed it: the PIN is checked by the issuer first (a fresh
   * unlock token; wrong PINs count and lock the card), the current status list is fetched as
   * evidence, the device key signs, and the bundle is delivered to the issuer for the work system.
   */
  async signRequest(request: SignatureRequestView, pin: string): Promise<SignatureBundle> {
    const { card } = await this.#loaded();
    const endpoint = await this.#signatureEndpoint(card);
    await this.unlock(pin);
    const bundle = await this.signDocument({
      title: request.title,
      sha256: request.sha256,
      ...(request.reason ? { reason: request.reason } : {}),
      requestId: request.id,
      audience: request.requester.clientId,
    });
    await fetchJson(this.#fetch, `${endpoint}/requests/${encodeURIComponent(request.id)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bundle }),
    });
    return bundle;
  }

  /** Declines a request (the work system learns "declined"). */
  async declineRequest(requestId: string): Promise<void> {
    const { card, device } = await this.#loaded();
    const endpoint = await this.#signatureEndpoint(card);
    const proof = await createSignListProof({ audience: card.issuer, deviceKey: device, now: this.#clock() });
    await fetchJson(this.#fetch, `${endpoint}/requests/${encodeURIComponent(requestId)}/decline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ proof }),
    });
  }

  /**
   * Signs a document hash with the device key (after the holder confirmed title and hash with the
   * PIN): the bundle carries the unlock token and the status list fetched now.
   */
  async signDocument(document: {
    title: string;
    sha256: string;
    reason?: string;
    requestId: string;
    audience: string;
  }): Promise<SignatureBundle> {
    const { card, device } = await this.#loaded();
    const unlockToken = await this.#unlockToken(card);
    const statusToken = await this.#statusToken(card);
    return signDocument({
      ...document,
      credential: card.sdJwt,
      devicePrivateKey: device.privateKey,
      statusToken,
      now: this.#clock(),
      ...(unlockToken ? { unlockToken } : {}),
    });
  }

  async #statusToken(card: WalletCard): Promise<string> {
    const { uri } = readStatusClaim(isObject(card.status) ? card.status : undefined);
    let res: Response;
    try {
      res = await this.#fetch(uri, { headers: { accept: 'application/statuslist+jwt' } });
    } catch (err) {
      fail('ERR_MID_ISSUER_REFUSED', { error: 'network' }, err);
    }
    if (!res.ok) fail('ERR_MID_ISSUER_REFUSED', { error: `status list ${res.status}` });
    const text = (await res.text()).trim();
    ensure(text.length > 0 && text.length <= 200_000, 'status list token');
    return text;
  }

  async #signatureEndpoint(card: WalletCard): Promise<string> {
    const meta = await fetchJson(this.#fetch, wellKnownUrl(card.issuer, 'openid-credential-issuer'));
    ensure(
      isObject(meta) && typeof meta.gongjik_signature_endpoint === 'string',
      'issuer metadata (signature endpoint)',
    );
    return meta.gongjik_signature_endpoint;
  }

  /** Forgets the card and the device key (app deletion; the issuer revokes on reissue). */
  async reset(): Promise<void> {
    await this.#storage.delete(KEY_CARD);
    await this.#storage.delete(KEY_DEVICE);
    await this.#storage.delete(KEY_UNLOCK);
    await this.#storage.delete(KEY_INSTALL_TOKEN);
  }

  /**
   * The unlock token to attach: required (ERR_MID_UNLOCK_REQUIRED / _EXPIRED) when the issuer
   * protects the card with a PIN; none for cards of issuers without PIN endpoints.
   */
  async #unlockToken(card: WalletCard): Promise<string | undefined> {
    if (!card.pinEndpoints) return undefined;
    const token = await this.#storage.get<string>(KEY_UNLOCK);
    if (!token) fail('ERR_MID_UNLOCK_REQUIRED');
    if (readUnlockToken(token).exp <= epochSeconds(this.#clock())) fail('ERR_MID_UNLOCK_EXPIRED');
    return token;
  }

  async #pinReady(): Promise<{ card: WalletCard; device: DeviceKey; endpoints: PinEndpoints }> {
    const { card, device } = await this.#loaded();
    if (!card.pinEndpoints || !card.jkt) fail('ERR_MID_PIN_NOT_SET');
    return { card, device, endpoints: card.pinEndpoints };
  }

  async #pinChallenge(
    card: WalletCard,
    endpoints: PinEndpoints,
  ): Promise<{ nonce: string; salt: string; iterations: number }> {
    const c = await fetchJson(this.#fetch, endpoints.challenge, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jkt: card.jkt }),
    });
    ensure(
      isObject(c) &&
        typeof c.nonce === 'string' &&
        typeof c.salt === 'string' &&
        typeof c.iterations === 'number',
      'PIN challenge',
    );
    return { nonce: c.nonce, salt: c.salt, iterations: c.iterations };
  }

  /** An offer by value, or fetched from `credential_offer_uri` (an offer by reference). */
  async #resolveOffer(offerUri: string) {
    const q = offerUri.indexOf('?');
    const ref = q >= 0 ? new URLSearchParams(offerUri.slice(q + 1)).get('credential_offer_uri') : null;
    if (ref === null) return parseCredentialOffer(offerUri);
    ensure(/^https?:\/\//.test(ref) && ref.length <= 2048, 'credential_offer_uri');
    const json = await fetchJson(this.#fetch, ref);
    return parseCredentialOffer(JSON.stringify(json));
  }

  async #loaded(): Promise<{ card: WalletCard; device: DeviceKey }> {
    const card = await this.#storage.get<WalletCard>(KEY_CARD);
    const device = await this.#storage.get<DeviceKey>(KEY_DEVICE);
    if (!card || !device) fail('ERR_MID_WALLET_NO_CREDENTIAL');
    return { card, device };
  }
}

function readPinEndpoints(meta: Record<string, unknown>): PinEndpoints | undefined {
  const { gongjik_pin_challenge_endpoint: c, gongjik_pin_endpoint: p, gongjik_unlock_endpoint: u } = meta;
  if (c === undefined && p === undefined && u === undefined) return undefined;
  ensure(typeof c === 'string' && typeof p === 'string' && typeof u === 'string', 'issuer metadata');
  return { challenge: c, pin: p, unlock: u };
}

function checkIssuedTo(payload: Record<string, unknown>, issuer: string, jwk: P256PublicJwk): void {
  ensure(payload.iss === issuer, 'credential iss');
  const cnf = isObject(payload.cnf) && isObject(payload.cnf.jwk) ? payload.cnf.jwk : undefined;
  ensure(cnf !== undefined && cnf.x === jwk.x && cnf.y === jwk.y, 'credential cnf');
}
