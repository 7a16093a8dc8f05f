// OpenID4VCI issuance: issuer metadata, c_nonce, the credential endpoint (SD-JWT VC + gate
// credential sharing the device key and one status entry), and the identity preview.
import { randomBytes } from 'node:crypto';
import type { MidCard, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import {
  buildAuthorizationServerMetadata,
  buildCredentialResponse,
  buildIssuerMetadata,
  buildNonceResponse,
  type CredentialResponse,
  GATE_CONFIGURATION,
  issueGateCredential,
  issueOfficialIdCredential,
  jwkThumbprint,
  type NonceResponse,
  OFFICIAL_ID_CONFIGURATION,
  type OfficialIdClaims,
  PROOF_TYP,
  parseCredentialRequest,
  parseJws,
  verifyProofJwt,
} from '@gongjik/mobile-id';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { sha256Hex } from '../secrets.ts';
import { revokeLiveCards } from './cards.ts';
import { agencyOf, assertEligible } from './eligibility.ts';
import { getIssuerKeyring } from './keys.ts';
import { offerByAccessToken } from './offers.ts';
import type { MidSettings } from './settings.ts';
import { allocateStatusEntry, statusListUri } from './status-lists.ts';

export const NONCE_TTL_MS = 300_000;
/** "No photo on record": base64url SHA-256 of the empty string (photos are a follow-up). */
export const NO_PHOTO_DIGEST = '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';

export function endpoints(issuer: string) {
  const base = `${issuer}/api/v1/mid`;
  return {
    token: `${base}/token`,
    nonce: `${base}/nonce`,
    credential: `${base}/credential`,
    preview: `${base}/preview`,
    pinChallenge: `${base}/pin/challenge`,
    pin: `${base}/pin`,
    unlock: `${base}/unlock`,
    jwks: `${base}/jwks`,
  };
}

/** `/.well-known/openid-credential-issuer`: the package's metadata with our endpoints and extensions. */
export function issuerMetadata(issuer: string) {
  const e = endpoints(issuer);
  return {
    ...buildIssuerMetadata(issuer),
    authorization_servers: [issuer],
    credential_endpoint: e.credential,
    nonce_endpoint: e.nonce,
    // Gongjik extensions (docs/mobile-id-protocol.md): identity preview, PIN and unlock.
    gongjik_preview_endpoint: e.preview,
    gongjik_pin_challenge_endpoint: e.pinChallenge,
    gongjik_pin_endpoint: e.pin,
    gongjik_unlock_endpoint: e.unlock,
    gongjik_jwks_uri: e.jwks,
    gongjik_signature_endpoint: `${issuer}/api/v1/mid/sign`,
  };
}

/** `/.well-known/oauth-authorization-server` (RFC 8414): the issuer is its own authorization server. */
export function authorizationServerMetadata(issuer: string) {
  return {
    ...buildAuthorizationServerMetadata(issuer),
    token_endpoint: endpoints(issuer).token,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code'],
  };
}

/** A fresh single-use c_nonce (5 minutes). */
export async function createNonce(
  db: Db,
  purpose: 'credential' | 'pin',
  now: Date,
  cardId: string | null = null,
) {
  const nonce = randomBytes(24).toString('base64url');
  await db
    .insertInto('mid_nonces')
    .values({
      nonce_hash: sha256Hex(nonce),
      purpose,
      card_id: cardId,
      created_at: now,
      expires_at: new Date(now.getTime() + NONCE_TTL_MS),
    })
    .execute();
  return nonce;
}

export async function nonceResponse(db: Db, now: Date): Promise<NonceResponse> {
  return buildNonceResponse(await createNonce(db, 'credential', now));
}

/** Uses up a nonce: true when it existed, was unused, unexpired and for this purpose (and card). */
export async function consumeNonce(
  db: Db,
  nonce: unknown,
  purpose: 'credential' | 'pin',
  now: Date,
  cardId?: string,
): Promise<boolean> {
  if (typeof nonce !== 'string' || nonce.length > 128) return false;
  let q = db
    .updateTable('mid_nonces')
    .set({ used_at: now })
    .where('nonce_hash', '=', sha256Hex(nonce))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now);
  if (cardId) q = q.where('card_id', '=', cardId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function claimsOf(
  db: Db,
  person: Person,
): Promise<OfficialIdClaims & { department_code: string | null }> {
  const agency = await agencyOf(db, person);
  const dept = person.department_id
    ? await db
        .selectFrom('departments')
        .select(['code', 'name'])
        .where('id', '=', person.department_id)
        .executeTakeFirst()
    : undefined;
  return {
    name: person.real_name,
    employee_number: person.employee_number,
    agency: { name: agency.name, code: agency.code },
    department: dept?.name ?? '',
    department_code: dept?.code ?? null,
    position: person.position ?? '',
    photo_digest: NO_PHOTO_DIGEST,
  };
}

/** Claims that, when HR changes them, make a card stale. */
export const TRACKED_CLAIMS = ['name', 'department_code', 'department', 'position', 'agency'] as const;

export async function currentClaims(db: Db, person: Person) {
  return claimsOf(db, person);
}

/** The identity the card will carry, shown by the wallet before it asks for the card. */
export async function issuanceInfo(db: Db, accessToken: string | undefined, now: Date) {
  const { request } = await offerByAccessToken(db, accessToken, now);
  const person = await db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', request.person_id)
    .executeTakeFirstOrThrow();
  const c = await claimsOf(db, person);
  return {
    name: c.name,
    employeeNumber: c.employee_number,
    agency: c.agency,
    department: c.department,
    position: c.position,
  };
}

/**
 * The credential endpoint. Checks the access token, uses up the proof's c_nonce (unknown, used or
 * expired → ERR_MID_NONCE_MISMATCH), verifies the proof (device key, `aud` = issuer, fresh). The
 * first credential of an offer creates the card: a random status index, and every earlier live
 * card of the person revoked (one active device per person). Later requests of the same offer
 * must use the same device key (ERR_MID_DEVICE_KEY_MISMATCH). Both credentials share `cnf` and
 * the status entry.
 */
export async function issueCredential(
  db: Db,
  accessToken: string | undefined,
  body: unknown,
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<CredentialResponse> {
  const { offer } = await offerByAccessToken(db, accessToken, ctx.now);
  const { configurationId, proofJwt } = parseCredentialRequest(body);
  if (configurationId !== OFFICIAL_ID_CONFIGURATION && configurationId !== GATE_CONFIGURATION) {
    throw new GongjikError('ERR_MID_MALFORMED', { part: 'credential_configuration_id' });
  }
  const claimedNonce = parseJws(proofJwt, 'proof', PROOF_TYP).payload.nonce;
  if (!(await consumeNonce(db, claimedNonce, 'credential', ctx.now))) {
    throw new GongjikError('ERR_MID_NONCE_MISMATCH');
  }
  const holderJwk = await verifyProofJwt(proofJwt, {
    issuer: settings.issuer,
    nonce: claimedNonce as string,
    now: ctx.now,
  });
  const jkt = await jwkThumbprint(holderJwk);
  const ring = await getIssuerKeyring(db, ctx.now);

  return inTransaction(db, async (trx) => {
    const locked = await trx
      .selectFrom('mid_offers')
      .selectAll()
      .where('id', '=', offer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.invalidated_at) throw new GongjikError('ERR_MID_TOKEN_INVALID');
    const request = await trx
      .selectFrom('mid_requests')
      .selectAll()
      .where('id', '=', locked.request_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const person = await trx
      .selectFrom('people')
      .selectAll()
      .where('id', '=', request.person_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const target = `person:${person.employee_number}`;
    let card: MidCard | undefined = await trx
      .selectFrom('mid_cards')
      .selectAll()
      .where('offer_id', '=', offer.id)
      .forUpdate()
      .executeTakeFirst();
    const claims = await claimsOf(trx, person);
    if (!card) {
      assertEligible(person, await agencyOf(trx, person));
      const { listId, idx } = await allocateStatusEntry(trx, settings.statusListSize, ctx.now);
      const replaced = await revokeLiveCards(trx, person, 'replaced', ctx);
      card = await trx
        .insertInto('mid_cards')
        .values({
          person_id: person.id,
          request_id: request.id,
          offer_id: offer.id,
          status_list_id: listId,
          status_idx: idx,
          device_jwk: JSON.stringify(holderJwk),
          device_jkt: jkt,
          state: 'active',
          claims: JSON.stringify(claims),
          issued_at: ctx.now,
          valid_until: new Date(ctx.now.getTime() + settings.credentialValidMs),
          state_changed_at: ctx.now,
          state_changed_by: ctx.actor,
          pin_salt: randomBytes(16).toString('base64url'),
          pin_iterations: settings.pinIterations,
        })
        .onConflict((oc) => oc.column('device_jkt').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!card) throw new GongjikError('ERR_MID_DEVICE_KEY_MISMATCH');
      await trx
        .updateTable('mid_requests')
        .set({ state: 'issued', issued_at: ctx.now, updated_at: ctx.now })
        .where('id', '=', request.id)
        .execute();
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'mid.card.issue',
        target,
        details: {
          request: request.id,
          card: card.id,
          status: { list: listId, idx },
          deviceKey: jkt,
          replaced,
        },
        ip: ctx.ip,
      });
    } else {
      if (card.device_jkt !== jkt) throw new GongjikError('ERR_MID_DEVICE_KEY_MISMATCH');
      if (card.state !== 'active') throw new GongjikError('ERR_MID_CARD_STATE', { state: card.state });
    }
    const status = { idx: card.status_idx, uri: statusListUri(settings.issuer, card.status_list_id) };
    const common = {
      issuer: settings.issuer,
      issuerKey: ring.active,
      holderJwk,
      status,
      validFrom: card.issued_at,
      validUntil: card.valid_until,
    };
    const { department_code: _, ...official } = claims;
    const credential =
      configurationId === OFFICIAL_ID_CONFIGURATION
        ? await issueOfficialIdCredential({ ...common, claims: official, now: ctx.now })
        : await issueGateCredential({ ...common, subject: person.id, agencyCode: claims.agency.code });
    const configurations = new Set(card.configurations);
    configurations.add(configurationId);
    await trx
      .updateTable('mid_cards')
      .set({ configurations: JSON.stringify([...configurations]) })
      .where('id', '=', card.id)
      .execute();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mid.credential.issue',
      target,
      details: { card: card.id, configuration: configurationId, kid: ring.active.kid },
      ip: ctx.ip,
    });
    return buildCredentialResponse(credential);
  });
}
