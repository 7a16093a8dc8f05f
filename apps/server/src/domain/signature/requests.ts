// Signature requests (DESIGN flow 10): a work system asks a person to sign a document hash; the
// holder's wallet lists what waits for its card, signs after the server-checked PIN and delivers the
// bundle here; the work system polls for the result. The bundle is checked with the same pure
// function every verifier uses (verifySignatureBundle of @gongjik/mobile-id), plus what only the
// issuer knows: that the request is this one, addressed to this card's holder, not answered or
// expired, that the PIN was entered for it, and the card's state right now.
import type { SigRequest } from '@gongjik/db';
import { GongjikError, isGongjikError } from '@gongjik/errors';
import {
  type P256PublicJwk,
  type SignatureBundle,
  signListProofJkt,
  type VerifiedSignature,
  verifySignatureBundle,
  verifySignListProof,
} from '@gongjik/mobile-id';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { getIssuerKeyring } from '../mobile-id/keys.ts';
import type { MidSettings } from '../mobile-id/settings.ts';
import { assertCallbackUrl, notifyWorkSystem } from './callback.ts';
import type { WorkSystem } from './work-system.ts';

/** Default and largest lifetime of a request: the holder answers on the phone in minutes. */
export const DEFAULT_REQUEST_SECONDS = 300;
export const MAX_REQUEST_SECONDS = 900;
export const MIN_REQUEST_SECONDS = 30;
/** The PIN must have been checked this recently when the bundle arrives. */
export const PIN_FRESH_SECONDS = 120;
/** The device's signing time may differ this much from the server's clock. */
export const SIGNING_TIME_SKEW_SECONDS = 60;
const MAX_PENDING_LISTED = 50;

export interface NewSignatureRequest {
  readonly employeeNumber: string;
  readonly title: string;
  readonly sha256: string;
  readonly reason?: string | undefined;
  readonly expiresInSeconds?: number | undefined;
  /** POSTed `{id, state}` once answered; same origin as one of the client's redirect URIs. */
  readonly callbackUrl?: string | undefined;
}

export interface SignatureRequestStatus {
  readonly id: string;
  readonly state: 'pending' | 'signed' | 'declined' | 'expired';
  readonly employeeNumber: string;
  readonly title: string;
  readonly sha256: string;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly answeredAt: string | null;
  readonly signedAt: string | null;
  readonly bundle: Record<string, unknown> | null;
}

function stateNow(row: Pick<SigRequest, 'state' | 'expires_at'>, now: Date): SignatureRequestStatus['state'] {
  return row.state === 'pending' && row.expires_at.getTime() <= now.getTime() ? 'expired' : row.state;
}

function statusView(row: SigRequest, employeeNumber: string, now: Date): SignatureRequestStatus {
  return {
    id: row.id,
    state: stateNow(row, now),
    employeeNumber,
    title: row.title,
    sha256: row.sha256,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    signedAt: row.signed_at?.toISOString() ?? null,
    bundle: row.bundle,
  };
}

/** A work system asks `employeeNumber` to sign; the person must hold an active mobile ID. */
export async function createSignatureRequest(
  db: Db,
  client: WorkSystem,
  input: NewSignatureRequest,
  ctx: ChangeContext,
): Promise<SignatureRequestStatus> {
  const title = input.title.normalize('NFC');
  const seconds = input.expiresInSeconds ?? DEFAULT_REQUEST_SECONDS;
  if (input.callbackUrl !== undefined) {
    const row = await db
      .selectFrom('oidc_clients')
      .select('redirect_uris')
      .where('client_id', '=', client.clientId)
      .executeTakeFirstOrThrow();
    assertCallbackUrl(input.callbackUrl, row.redirect_uris);
  }
  const person = await db
    .selectFrom('people')
    .select(['id', 'employee_number'])
    .where('employee_number', '=', input.employeeNumber)
    .executeTakeFirst();
  const card = person
    ? await db
        .selectFrom('mid_cards')
        .select('id')
        .where('person_id', '=', person.id)
        .where('state', '=', 'active')
        .executeTakeFirst()
    : undefined;
  if (!person || !card) {
    await audit(db, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'sign.request',
      target: `person:${input.employeeNumber}`,
      outcome: 'refused',
      code: 'ERR_SIGN_SIGNER_UNAVAILABLE',
      details: { client: client.clientId },
      ip: ctx.ip,
    });
    throw new GongjikError('ERR_SIGN_SIGNER_UNAVAILABLE');
  }
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('sig_requests')
      .values({
        client_id: client.clientId,
        person_id: person.id,
        title,
        sha256: input.sha256.toLowerCase(),
        reason: input.reason ?? null,
        callback_url: input.callbackUrl ?? null,
        created_at: ctx.now,
        expires_at: new Date(ctx.now.getTime() + seconds * 1000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'sign.request',
      target: `person:${person.employee_number}`,
      details: { request: row.id, client: client.clientId, sha256: row.sha256 },
      ip: ctx.ip,
    });
    return statusView(row, person.employee_number, ctx.now);
  });
}

/** The work system reads its own request (another system's request is "not found"). */
export async function getSignatureRequest(
  db: Db,
  client: WorkSystem,
  id: string,
  now: Date,
): Promise<SignatureRequestStatus> {
  const row = await db
    .selectFrom('sig_requests')
    .innerJoin('people', 'people.id', 'sig_requests.person_id')
    .selectAll('sig_requests')
    .select('people.employee_number')
    .where('sig_requests.id', '=', id)
    .where('sig_requests.client_id', '=', client.clientId)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_SIGN_REQUEST_NOT_FOUND');
  const { employee_number, ...request } = row;
  return statusView(request, employee_number, now);
}

async function activeCardByJkt(db: Db, jkt: string) {
  const card = await db
    .selectFrom('mid_cards')
    .select(['id', 'person_id', 'state', 'device_jwk'])
    .where('device_jkt', '=', jkt)
    .executeTakeFirst();
  if (!card) throw new GongjikError('ERR_MID_CARD_UNKNOWN');
  if (card.state !== 'active') throw new GongjikError('ERR_SIGN_CARD_NOT_VALID', { status: card.state });
  return card;
}

export interface PendingForWallet {
  readonly id: string;
  readonly title: string;
  readonly sha256: string;
  readonly reason: string | null;
  readonly requester: { readonly clientId: string; readonly name: string };
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** What waits for the card that signed `proof` (a `gjsl+jwt` device proof), oldest first. */
export async function pendingForWallet(
  db: Db,
  proof: string,
  settings: Pick<MidSettings, 'issuer'>,
  now: Date,
): Promise<PendingForWallet[]> {
  const card = await activeCardByJkt(db, await signListProofJkt(proof));
  await verifySignListProof(proof, {
    deviceJwk: card.device_jwk as unknown as P256PublicJwk,
    audience: settings.issuer,
    now,
  });
  const rows = await db
    .selectFrom('sig_requests')
    .innerJoin('oidc_clients', 'oidc_clients.client_id', 'sig_requests.client_id')
    .select([
      'sig_requests.id',
      'sig_requests.title',
      'sig_requests.sha256',
      'sig_requests.reason',
      'sig_requests.created_at',
      'sig_requests.expires_at',
      'oidc_clients.client_id',
      'oidc_clients.client_name',
    ])
    .where('sig_requests.person_id', '=', card.person_id)
    .where('sig_requests.state', '=', 'pending')
    .where('sig_requests.expires_at', '>', now)
    .orderBy('sig_requests.created_at')
    .limit(MAX_PENDING_LISTED)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    sha256: r.sha256,
    reason: r.reason,
    requester: { clientId: r.client_id, name: r.client_name },
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
  }));
}

async function lockedRequest(trx: Db, id: string): Promise<SigRequest & { employee_number: string }> {
  const row = await trx
    .selectFrom('sig_requests')
    .innerJoin('people', 'people.id', 'sig_requests.person_id')
    .selectAll('sig_requests')
    .select('people.employee_number')
    .where('sig_requests.id', '=', id)
    .forUpdate('sig_requests')
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_SIGN_REQUEST_NOT_FOUND');
  return row;
}

/** Refuses a request that is answered or expired (marking it expired when its time has passed). */
async function assertOpen(trx: Db, row: SigRequest, now: Date): Promise<void> {
  if (row.state !== 'pending') throw new GongjikError('ERR_SIGN_REQUEST_ANSWERED', { state: row.state });
  if (row.expires_at.getTime() <= now.getTime()) {
    await trx.updateTable('sig_requests').set({ state: 'expired' }).where('id', '=', row.id).execute();
    throw new GongjikError('ERR_SIGN_REQUEST_EXPIRED');
  }
}

/**
 * The wallet delivers a signed bundle. Checked: the bundle (verifySignatureBundle with the issuer's
 * keys, now), the signer's card (by device key: active now, its holder is the addressee), the
 * request (open, not expired: an expired request is marked so and refused even though the refusal
 * rolls nothing else back), what was signed (title, hash, request id, requester), the signing time
 * (within a minute of ours) and the PIN (unlock token issued ≤ 2 minutes ago). Every outcome is audited.
 */
export async function completeSignatureRequest(
  db: Db,
  id: string,
  bundle: unknown,
  settings: Pick<MidSettings, 'issuer'>,
  ctx: ChangeContext,
): Promise<{ state: 'signed'; signedAt: string }> {
  let target = `sign-request:${id}`;
  try {
    const ring = await getIssuerKeyring(db, ctx.now);
    const verified = await verifySignatureBundle(bundle, {
      issuerKeys: ring.jwks,
      issuer: settings.issuer,
      now: ctx.now,
    });
    const card = await activeCardByJkt(db, verified.deviceJkt);
    const outcome = await inTransaction(db, async (trx) => {
      const row = await lockedRequest(trx, id);
      target = `person:${row.employee_number}`;
      if (row.person_id !== card.person_id) throw new GongjikError('ERR_SIGN_REQUEST_NOT_YOURS');
      try {
        await assertOpen(trx, row, ctx.now);
      } catch (err) {
        return { error: err };
      }
      assertAnswers(row, verified);
      const nowS = Math.floor(ctx.now.getTime() / 1000);
      if (Math.abs(verified.signedAt - nowS) > SIGNING_TIME_SKEW_SECONDS)
        throw new GongjikError('ERR_SIGN_REQUEST_MISMATCH', { part: 'time' });
      if (verified.pinConfirmedAt === undefined || nowS - verified.pinConfirmedAt > PIN_FRESH_SECONDS)
        throw new GongjikError('ERR_SIGN_PIN_NOT_FRESH');
      const signedAt = new Date(verified.signedAt * 1000);
      await trx
        .updateTable('sig_requests')
        .set({
          state: 'signed',
          answered_at: ctx.now,
          card_id: card.id,
          bundle: JSON.stringify(bundle as SignatureBundle),
          signed_at: signedAt,
        })
        .where('id', '=', row.id)
        .execute();
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'sign.complete',
        target,
        details: { request: row.id, client: row.client_id, card: card.id, sha256: row.sha256 },
        ip: ctx.ip,
      });
      return {
        ok: { state: 'signed' as const, signedAt: signedAt.toISOString() },
        callback: row.callback_url,
      };
    });
    if ('error' in outcome) throw outcome.error;
    notifyWorkSystem(outcome.callback, { id, state: 'signed' });
    return outcome.ok;
  } catch (err) {
    if (isGongjikError(err)) {
      await audit(db, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'sign.complete',
        target,
        outcome: 'refused',
        code: err.code,
        details: { request: id },
        ip: ctx.ip,
      });
    }
    throw err;
  }
}

function assertAnswers(row: SigRequest, v: VerifiedSignature): void {
  if (v.requestId !== row.id) throw new GongjikError('ERR_SIGN_REQUEST_MISMATCH', { part: 'rid' });
  if (v.audience !== row.client_id) throw new GongjikError('ERR_SIGN_REQUEST_MISMATCH', { part: 'aud' });
  if (v.sha256 !== row.sha256) throw new GongjikError('ERR_SIGN_REQUEST_MISMATCH', { part: 'sha256' });
  if (v.title !== row.title) throw new GongjikError('ERR_SIGN_REQUEST_MISMATCH', { part: 'title' });
}

/** The holder declines (device proof as for the list). */
export async function declineSignatureRequest(
  db: Db,
  id: string,
  proof: string,
  settings: Pick<MidSettings, 'issuer'>,
  ctx: ChangeContext,
): Promise<{ state: 'declined' }> {
  const card = await activeCardByJkt(db, await signListProofJkt(proof));
  await verifySignListProof(proof, {
    deviceJwk: card.device_jwk as unknown as P256PublicJwk,
    audience: settings.issuer,
    now: ctx.now,
  });
  const outcome = await inTransaction(db, async (trx) => {
    const row = await lockedRequest(trx, id);
    if (row.person_id !== card.person_id) throw new GongjikError('ERR_SIGN_REQUEST_NOT_YOURS');
    try {
      await assertOpen(trx, row, ctx.now);
    } catch (err) {
      return { error: err };
    }
    await trx
      .updateTable('sig_requests')
      .set({ state: 'declined', answered_at: ctx.now })
      .where('id', '=', row.id)
      .execute();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'sign.decline',
      target: `person:${row.employee_number}`,
      details: { request: row.id, client: row.client_id },
      ip: ctx.ip,
    });
    return { ok: { state: 'declined' as const }, callback: row.callback_url };
  });
  if ('error' in outcome) throw outcome.error;
  notifyWorkSystem(outcome.callback, { id, state: 'declined' });
  return outcome.ok;
}
