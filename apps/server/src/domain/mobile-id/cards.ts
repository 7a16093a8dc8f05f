// Issued cards and their lifecycle: one live card (active or suspended) per person; suspend,
// resume, revoke; every change bumps the card's status list in the same transaction, so the next
// fetch of the list shows it.
import type { MidCard, MidCardState, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { findPerson } from '../directory/people.ts';
import { statusListUri, touchStatusList } from './status-lists.ts';

export const LIVE_STATES = ['active', 'suspended'] as const satisfies readonly MidCardState[];

export interface CardView {
  readonly id: string;
  readonly employeeNumber: string;
  readonly state: MidCardState;
  readonly revokeReason: string | null;
  readonly status: { readonly listId: number; readonly idx: number; readonly uri: string };
  readonly deviceKeyThumbprint: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly stateChangedAt: string;
  readonly stateChangedBy: string;
  /** an HR change made the claims stale; a reissue offer is on its way */
  readonly reissueDueAt: string | null;
  readonly pinSet: boolean;
  readonly pinFailures: number;
  readonly lastUnlockAt: string | null;
}

export function cardView(c: MidCard, employeeNumber: string, issuer: string): CardView {
  return {
    id: c.id,
    employeeNumber,
    state: c.state,
    revokeReason: c.revoke_reason,
    status: { listId: c.status_list_id, idx: c.status_idx, uri: statusListUri(issuer, c.status_list_id) },
    deviceKeyThumbprint: c.device_jkt,
    issuedAt: c.issued_at.toISOString(),
    validUntil: c.valid_until.toISOString(),
    stateChangedAt: c.state_changed_at.toISOString(),
    stateChangedBy: c.state_changed_by,
    reissueDueAt: c.reissue_due_at?.toISOString() ?? null,
    pinSet: c.pin_hash !== null,
    pinFailures: c.pin_failures,
    lastUnlockAt: c.last_unlock_at?.toISOString() ?? null,
  };
}

/** The person's cards, newest first. */
export function cardsOf(db: Db, personId: string): Promise<MidCard[]> {
  return db
    .selectFrom('mid_cards')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('issued_at', 'desc')
    .orderBy('id')
    .execute();
}

/**
 * Sets a card's state (and its status-list entry), audited as `mid.card.<action>`. The caller
 * holds the card row (FOR UPDATE) and has checked the transition.
 */
export async function changeCardState(
  trx: Db,
  card: MidCard,
  next: { state: MidCardState; reason?: string | null; action: string },
  ctx: ChangeContext,
  person: Pick<Person, 'employee_number'>,
): Promise<MidCard> {
  const updated = await trx
    .updateTable('mid_cards')
    .set({
      state: next.state,
      revoke_reason: next.state === 'revoked' || next.state === 'locked' ? (next.reason ?? null) : null,
      state_changed_at: ctx.now,
      state_changed_by: ctx.actor,
    })
    .where('id', '=', card.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await touchStatusList(trx, card.status_list_id);
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: `mid.card.${next.action}`,
    target: `person:${person.employee_number}`,
    details: {
      card: card.id,
      from: card.state,
      to: next.state,
      ...(next.reason ? { reason: next.reason } : {}),
      status: { list: card.status_list_id, idx: card.status_idx },
    },
    ip: ctx.ip,
  });
  return updated;
}

/**
 * Revokes (INVALID) every live card of the person except `exceptCardId`: a new device, retirement,
 * an administrator's decision. Returns how many.
 */
export async function revokeLiveCards(
  trx: Db,
  person: Pick<Person, 'id' | 'employee_number'>,
  reason: string,
  ctx: ChangeContext,
  exceptCardId?: string,
): Promise<number> {
  let q = trx
    .selectFrom('mid_cards')
    .selectAll()
    .where('person_id', '=', person.id)
    .where('state', 'in', LIVE_STATES)
    .forUpdate();
  if (exceptCardId) q = q.where('id', '<>', exceptCardId);
  const live = await q.execute();
  for (const c of live)
    await changeCardState(trx, c, { state: 'revoked', reason, action: 'revoke' }, ctx, person);
  return live.length;
}

export type CardAction = 'suspend' | 'resume' | 'revoke';

/**
 * Suspends (lost phone: SUSPENDED at once), resumes (found) or revokes the person's live card.
 * Suspending a suspended card or resuming an active one changes nothing (`changed: false`).
 * Without a live card: ERR_MID_CARD_UNKNOWN. Resuming needs the person still in active service.
 */
export async function actOnCard(
  db: Db,
  employeeNumber: string,
  action: CardAction,
  ctx: ChangeContext,
  issuer: string,
): Promise<{ card: CardView; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const person = await findPerson(trx, employeeNumber, true);
    const card = await trx
      .selectFrom('mid_cards')
      .selectAll()
      .where('person_id', '=', person.id)
      .where('state', 'in', LIVE_STATES)
      .forUpdate()
      .executeTakeFirst();
    if (!card) throw new GongjikError('ERR_MID_CARD_UNKNOWN');
    const target: MidCardState =
      action === 'suspend' ? 'suspended' : action === 'resume' ? 'active' : 'revoked';
    if (card.state === target) return { card: cardView(card, employeeNumber, issuer), changed: false };
    if (action === 'resume' && person.state !== 'active') {
      throw new GongjikError('ERR_MID_PERSON_NOT_ELIGIBLE', { state: person.state });
    }
    const updated = await changeCardState(
      trx,
      card,
      { state: target, reason: action === 'revoke' ? 'revoked' : null, action },
      ctx,
      person,
    );
    return { card: cardView(updated, employeeNumber, issuer), changed: true };
  });
}
