// The PIN, checked by the server. The wallet never sends the PIN: it sends a PBKDF2 verifier made
// with the card's salt, inside a proof signed by the card's device key over a single-use nonce.
// The server keeps HMAC-SHA256(pepper, card id ‖ verifier) only, counts wrong PINs, and locks the
// card (state locked, status INVALID) at the limit. A right PIN earns an unlock token the wallet
// must attach to gate QRs and presentations (docs/mobile-id-protocol.md, "PIN and unlock").
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MidCard, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { issueUnlockToken, parsePinProof, verifyPinProof } from '@gongjik/mobile-id';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { changeCardState } from './cards.ts';
import { consumeNonce, createNonce } from './issuance.ts';
import { getIssuerKeyring } from './keys.ts';
import { offerByAccessToken } from './offers.ts';
import type { MidSettings } from './settings.ts';

const JKT = /^[A-Za-z0-9_-]{43}$/;

function pinHash(settings: Pick<MidSettings, 'pepper'>, cardId: string, verifier: string): string {
  return createHmac('sha256', settings.pepper)
    .update(`gongjik-pin:v1:${cardId}:${verifier}`)
    .digest('base64url');
}

function pinMatches(settings: Pick<MidSettings, 'pepper'>, card: MidCard, verifier: string): boolean {
  if (!card.pin_hash) return false;
  const a = Buffer.from(pinHash(settings, card.id, verifier));
  const b = Buffer.from(card.pin_hash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function cardByJkt(db: Db, jkt: string, forUpdate: boolean): Promise<MidCard> {
  if (!JKT.test(jkt)) throw new GongjikError('ERR_MID_CARD_UNKNOWN');
  let q = db.selectFrom('mid_cards').selectAll().where('device_jkt', '=', jkt);
  if (forUpdate) q = q.forUpdate();
  const card = await q.executeTakeFirst();
  if (!card) throw new GongjikError('ERR_MID_CARD_UNKNOWN');
  return card;
}

export function assertUsable(card: MidCard): void {
  if (card.state === 'locked') throw new GongjikError('ERR_MID_PIN_LOCKED');
  if (card.state !== 'active') throw new GongjikError('ERR_MID_CARD_STATE', { state: card.state });
}

/** POST /api/v1/mid/pin/challenge: a nonce for one PIN proof, and the card's PBKDF2 parameters. */
export async function pinChallenge(db: Db, jkt: string, now: Date) {
  const card = await cardByJkt(db, jkt, false);
  assertUsable(card);
  const nonce = await createNonce(db, 'pin', now, card.id);
  return { nonce, salt: card.pin_salt, iterations: card.pin_iterations, pinSet: card.pin_hash !== null };
}

export interface CheckedProof {
  card: MidCard;
  person: Person;
  action: 'set' | 'change' | 'unlock';
  verifier: string;
  newVerifier: string | undefined;
}

/** Reads and checks a PIN proof: card by key, nonce used up, signature, audience, freshness. */
export async function checkProof(
  db: Db,
  proof: unknown,
  settings: MidSettings,
  now: Date,
): Promise<CheckedProof> {
  if (typeof proof !== 'string') throw new GongjikError('ERR_MID_MALFORMED', { part: 'PIN proof' });
  const parsed = await parsePinProof(proof);
  const card = await cardByJkt(db, parsed.jkt, false);
  if (!(await consumeNonce(db, parsed.nonce, 'pin', now, card.id)))
    throw new GongjikError('ERR_MID_NONCE_MISMATCH');
  await verifyPinProof(proof, {
    deviceJwk: card.device_jwk as never,
    audience: settings.issuer,
    nonce: parsed.nonce,
    now,
  });
  const person = await db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', card.person_id)
    .executeTakeFirstOrThrow();
  return { card, person, action: parsed.action, verifier: parsed.verifier, newVerifier: parsed.newVerifier };
}

/**
 * Compares the verifier under the card's row lock. A wrong one is counted and committed even
 * though the call then fails: ERR_MID_PIN_WRONG with the attempts left, or — at the limit —
 * the card is locked (status INVALID) and ERR_MID_PIN_LOCKED. Audited either way.
 */
export async function withPin<T>(
  db: Db,
  checked: CheckedProof,
  settings: MidSettings,
  ctx: ChangeContext,
  onMatch: (trx: Db, card: MidCard) => Promise<T>,
): Promise<T> {
  const r = await inTransaction(db, async (trx) => {
    const card = await trx
      .selectFrom('mid_cards')
      .selectAll()
      .where('id', '=', checked.card.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    assertUsable(card);
    if (!card.pin_hash) throw new GongjikError('ERR_MID_PIN_NOT_SET');
    if (pinMatches(settings, card, checked.verifier)) {
      await trx.updateTable('mid_cards').set({ pin_failures: 0 }).where('id', '=', card.id).execute();
      return { ok: await onMatch(trx, card) };
    }
    return {
      error: await recordFailure(trx, card, checked.person, settings, ctx, `mid.pin.${checked.action}`),
    };
  });
  if ('error' in r) throw r.error;
  return r.ok;
}

/**
 * Counts one failed unlock factor (wrong PIN, or a biometric assertion that did not verify) on the
 * card, whose row the caller holds FOR UPDATE; at the limit the card is locked (status INVALID).
 * Audited as `action` (refused). Returns the error to throw AFTER the transaction commits.
 */
export async function recordFailure(
  trx: Db,
  card: MidCard,
  person: Person,
  settings: MidSettings,
  ctx: ChangeContext,
  action: string,
  wrongCode: 'ERR_MID_PIN_WRONG' | 'ERR_MID_WEBAUTHN_INVALID' = 'ERR_MID_PIN_WRONG',
): Promise<GongjikError> {
  const failures = card.pin_failures + 1;
  await trx.updateTable('mid_cards').set({ pin_failures: failures }).where('id', '=', card.id).execute();
  const locked = failures >= settings.pinMaxFailures;
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action,
    target: `person:${person.employee_number}`,
    outcome: 'refused',
    code: locked ? 'ERR_MID_PIN_LOCKED' : wrongCode,
    details: { card: card.id, failures },
    ip: ctx.ip,
  });
  if (locked) {
    await changeCardState(trx, card, { state: 'locked', reason: 'pin-locked', action: 'lock' }, ctx, person);
    return new GongjikError('ERR_MID_PIN_LOCKED');
  }
  return new GongjikError(wrongCode, { remaining: settings.pinMaxFailures - failures });
}

/** The unlock token a right PIN (or a verified biometric assertion) earns; audited `mid.<how>.unlock`. */
export async function grantUnlock(
  trx: Db,
  card: MidCard,
  person: Person,
  settings: MidSettings,
  ctx: ChangeContext,
  how: 'pin' | 'webauthn',
): Promise<{ unlockToken: string; expiresAt: string }> {
  const ring = await getIssuerKeyring(trx, ctx.now);
  const lifetimeSeconds = Math.floor(settings.unlockMs / 1000);
  await trx
    .updateTable('mid_cards')
    .set({ last_unlock_at: ctx.now, pin_failures: 0 })
    .where('id', '=', card.id)
    .execute();
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: `mid.${how}.unlock`,
    target: `person:${person.employee_number}`,
    details: { card: card.id, lifetimeSeconds },
    ip: ctx.ip,
  });
  const unlockToken = await issueUnlockToken({
    issuer: settings.issuer,
    issuerKey: ring.active,
    deviceJkt: card.device_jkt,
    now: ctx.now,
    lifetimeSeconds,
  });
  return { unlockToken, expiresAt: new Date(ctx.now.getTime() + lifetimeSeconds * 1000).toISOString() };
}

/**
 * POST /api/v1/mid/pin. `set` (first PIN): needs the issuance access token of this card's offer
 * (ERR_MID_TOKEN_INVALID) and no PIN yet (ERR_MID_PIN_ALREADY_SET). `change`: the current PIN's
 * verifier must match (a wrong one counts like a wrong unlock).
 */
export async function setOrChangePin(
  db: Db,
  proof: unknown,
  accessToken: string | undefined,
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<{ pinSet: true }> {
  const checked = await checkProof(db, proof, settings, ctx.now);
  const target = `person:${checked.person.employee_number}`;
  if (checked.action === 'unlock') throw new GongjikError('ERR_MID_MALFORMED', { part: 'PIN proof act' });
  if (checked.action === 'set') {
    const { offer } = await offerByAccessToken(db, accessToken, ctx.now);
    if (offer.id !== checked.card.offer_id) throw new GongjikError('ERR_MID_TOKEN_INVALID');
    await inTransaction(db, async (trx) => {
      const card = await trx
        .selectFrom('mid_cards')
        .selectAll()
        .where('id', '=', checked.card.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      assertUsable(card);
      if (card.pin_hash) throw new GongjikError('ERR_MID_PIN_ALREADY_SET');
      await trx
        .updateTable('mid_cards')
        .set({ pin_hash: pinHash(settings, card.id, checked.verifier), pin_set_at: ctx.now, pin_failures: 0 })
        .where('id', '=', card.id)
        .execute();
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'mid.pin.set',
        target,
        details: { card: card.id },
        ip: ctx.ip,
      });
    });
    return { pinSet: true };
  }
  await withPin(db, checked, settings, ctx, async (trx, card) => {
    await trx
      .updateTable('mid_cards')
      .set({ pin_hash: pinHash(settings, card.id, checked.newVerifier!), pin_set_at: ctx.now })
      .where('id', '=', card.id)
      .execute();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mid.pin.change',
      target,
      details: { card: card.id },
      ip: ctx.ip,
    });
  });
  return { pinSet: true };
}

/** POST /api/v1/mid/unlock: a right PIN → an unlock token valid for the configured time. */
export async function unlockCard(
  db: Db,
  proof: unknown,
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<{ unlockToken: string; expiresAt: string }> {
  const checked = await checkProof(db, proof, settings, ctx.now);
  if (checked.action !== 'unlock') throw new GongjikError('ERR_MID_MALFORMED', { part: 'PIN proof act' });
  return withPin(db, checked, settings, ctx, (trx, card) =>
    grantUnlock(trx, card, checked.person, settings, ctx, 'pin'),
  );
}
