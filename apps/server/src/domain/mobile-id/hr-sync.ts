// Hooks the directory calls: an HR change that makes a card's claims stale starts a pre-approved
// reissue; retirement revokes every card and cancels open requests.
import type { Person } from '@gongjik/db';
import { audit } from '../audit/audit.ts';
import type { ChangeContext, Db } from '../db.ts';
import { LIVE_STATES, revokeLiveCards } from './cards.ts';
import { currentClaims, TRACKED_CLAIMS } from './issuance.ts';
import { cancelOpenRequests, createRequest, OPEN_STATES } from './requests.ts';

/**
 * Called (in the same transaction) after HR changed a person's record. When the person holds a
 * live card whose claims (name, department, position, agency) differ from the record now, the card
 * is marked `reissue_due_at` and a reissue request (reason hr-change) is created pre-approved —
 * the head approved the holder before, and the change comes from HR itself; the offer job then
 * checks identity and sends the SMS. The old card stays valid until the new one is installed
 * (issuing it revokes the old), so the holder is never left without a card.
 */
export async function onPersonRecordChanged(trx: Db, person: Person, ctx: ChangeContext): Promise<void> {
  if (person.state !== 'active') return;
  const card = await trx
    .selectFrom('mid_cards')
    .selectAll()
    .where('person_id', '=', person.id)
    .where('state', 'in', LIVE_STATES)
    .forUpdate()
    .executeTakeFirst();
  if (!card) return;
  const now = await currentClaims(trx, person);
  const before = card.claims as Record<string, unknown>;
  const changed = TRACKED_CLAIMS.filter(
    (k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(now[k] ?? null),
  );
  if (changed.length === 0) return;
  await trx.updateTable('mid_cards').set({ reissue_due_at: ctx.now }).where('id', '=', card.id).execute();
  const open = await trx
    .selectFrom('mid_requests')
    .select('id')
    .where('person_id', '=', person.id)
    .where('state', 'in', OPEN_STATES)
    .executeTakeFirst();
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'mid.card.reissue-due',
    target: `person:${person.employee_number}`,
    details: { card: card.id, changed, request: open ? 'already-open' : 'created' },
    ip: ctx.ip,
  });
  if (!open) {
    const agency = await trx
      .selectFrom('agencies')
      .select('mobile_id_adopted')
      .where('id', '=', person.agency_id)
      .executeTakeFirstOrThrow();
    if (agency.mobile_id_adopted && person.mobile) {
      await createRequest(trx, { employeeNumber: person.employee_number, reason: 'hr-change' }, ctx, {
        preApproved: true,
      });
    }
  }
}

/** Called by applyRetirements (same transaction): revokes every card, cancels open requests. */
export async function onPersonRetired(
  trx: Db,
  person: Pick<Person, 'id' | 'employee_number'>,
  ctx: ChangeContext,
): Promise<{ cardsRevoked: number; requestsCancelled: number }> {
  const cardsRevoked = await revokeLiveCards(trx, person, 'retired', ctx);
  const requestsCancelled = await cancelOpenRequests(trx, person.id, 'retired', ctx);
  return { cardsRevoked, requestsCancelled };
}
