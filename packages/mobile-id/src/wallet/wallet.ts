import { GATE_CREDENTIAL_TYP } from '../gate/format.ts';
import { createGateQr } from '../gate/proof.ts';
import type { P256PublicJwk } from '../keys/jwk.ts';
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
import { type AuthorizationRequest, parseAuthorizationRequest } from '../oid4vp/request.ts';
import { vpResponseForm } from '../oid4vp/response.ts';
import { SD_JWT_VC_TYP, splitSdJwt } from '../sd-jwt/format.ts';
import { disclosableClaims, presentSdJwt } from '../sd-jwt/present.ts';
import { type SignatureBundle, signDocument } from '../signature/sign.ts';
import { isObject } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { type FetchLike, fetchJson } from './http.ts';
import type { WalletStorage } from './storage.ts';

const KEY_DEVICE = 'device-key';
const KEY_CARD = 'card';

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
}

/** What the holder is asked to approve before a presentation. */
export interface PresentationPreview {
  request: AuthorizationRequest;
  verifier: { clientId: string; name?: string; responseOrigin: string };
  /** Exactly the claims that will leave the phone, with their values. */
  claims: Record<string, unknown>;
}

export interface WalletOptions {
  storage: WalletStorage;
  fetch: FetchLike;
  clock?: () => Date;
}

/**
 * The headless wallet: keys, storage and protocol flows, used by the PWA, the CLI and tests.
 * The device key is a non-extractable WebCrypto P-256 key created at installation.
 */
export class Wallet {
  readonly #storage: WalletStorage;
  readonly #fetch: FetchLike;
  readonly #clock: () => Date;

  constructor(options: WalletOptions) {
    this.#storage = options.storage;
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** Redeems a credential offer (pre-authorized code + one-time `txCode`) and stores the card. */
  async install(offerUri: string, txCode: string): Promise<WalletCard> {
    const offer = parseCredentialOffer(offerUri);
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

    const device = await generateDeviceKey();
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
    };
    // One card and one key per wallet: a new installation replaces both.
    await this.#storage.set<DeviceKey>(KEY_DEVICE, device);
    await this.#storage.set<WalletCard>(KEY_CARD, card);
    return card;
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
    const presentation = await presentSdJwt({
      credential: card.sdJwt,
      disclose: Object.keys(claims),
      audience: request.client_id,
      nonce: request.nonce,
      devicePrivateKey: device.privateKey,
      now: this.#clock(),
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
    return createGateQr({
      credential: card.gate,
      gateGroup,
      devicePrivateKey: device.privateKey,
      now: this.#clock(),
    });
  }

  /** Signs a document hash (after the holder confirmed title and hash with the PIN). */
  async signDocument(document: { title: string; sha256: string }): Promise<SignatureBundle> {
    const { card, device } = await this.#loaded();
    return signDocument({
      ...document,
      credential: card.sdJwt,
      devicePrivateKey: device.privateKey,
      now: this.#clock(),
    });
  }

  /** Forgets the card and the device key (app deletion; the issuer revokes on reissue). */
  async reset(): Promise<void> {
    await this.#storage.delete(KEY_CARD);
    await this.#storage.delete(KEY_DEVICE);
  }

  async #loaded(): Promise<{ card: WalletCard; device: DeviceKey }> {
    const card = await this.#storage.get<WalletCard>(KEY_CARD);
    const device = await this.#storage.get<DeviceKey>(KEY_DEVICE);
    if (!card || !device) fail('ERR_MID_WALLET_NO_CREDENTIAL');
    return { card, device };
  }
}

function checkIssuedTo(payload: Record<string, unknown>, issuer: string, jwk: P256PublicJwk): void {
  ensure(payload.iss === issuer, 'credential iss');
  const cnf = isObject(payload.cnf) && isObject(payload.cnf.jwk) ? payload.cnf.jwk : undefined;
  ensure(cnf !== undefined && cnf.x === jwk.x && cnf.y === jwk.y, 'credential cnf');
}
