import { audit } from '../audit/audit.ts';
import { type Db, inTransaction } from '../db.ts';
import { koreanDate } from '../directory/dates.ts';
import { onPersonRetired } from '../mobile-id/hr-sync.ts';

export interface RetirementResult {
  readonly date: string;
  readonly retired: { employeeNumber: string; account: string | null }[];
}

const ACTOR = 'system:retirement';

/**
 * Retires everyone whose retirement date (a Korean calendar date) has come: the person and their
 * account become `retired`, every certificate registration is revoked, every live session ends,
 * unused sign-up codes are invalidated, and each retirement is audited. The mailbox itself stays,
 * read-only, until an administrator removes it. Safe to run any number of times and from several
 * processes at once (each person is handled in its own transaction, under a row lock).
 */
export async function applyRetirements(db: Db, now: Date): Promise<RetirementResult> {
  const date = koreanDate(now);
  const due = await db
    .selectFrom('people')
    .select(['id', 'employee_number'])
    .where('state', '<>', 'retired')
    .where('retirement_date', '<=', date)
    .orderBy('retirement_date')
    .execute();
  const retired: RetirementResult['retired'] = [];
  for (const { id } of due) {
    const one = await inTransaction(db, async (trx) => {
      const p = await trx
        .selectFrom('people')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!p || p.state === 'retired' || !p.retirement_date || p.retirement_date > date) return null;
      await trx
        .updateTable('people')
        .set({ state: 'retired', retired_at: now, updated_at: now })
        .where('id', '=', p.id)
        .execute();
      const account = await trx
        .updateTable('accounts')
        .set({ state: 'retired', retired_at: now, updated_at: now })
        .where('person_id', '=', p.id)
        .returningAll()
        .executeTakeFirst();
      let certificates = 0;
      let sessions = 0;
      if (account) {
        const certs = await trx
          .updateTable('certificate_registrations')
          .set({ revoked_at: now, revoke_reason: 'retired' })
          .where('account_id', '=', account.id)
          .where('revoked_at', 'is', null)
          .where('replaced_at', 'is', null)
          .executeTakeFirst();
        certificates = Number(certs.numUpdatedRows);
        const ended = await trx
          .updateTable('sessions')
          .set({ revoked_at: now, revoke_reason: 'retired' })
          .where('account_id', '=', account.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        sessions = Number(ended.numUpdatedRows);
        await trx
          .updateTable('signup_codes')
          .set({ invalidated_at: now })
          .where('account_id', '=', account.id)
          .where('used_at', 'is', null)
          .where('invalidated_at', 'is', null)
          .execute();
      }
      const mobileId = await onPersonRetired(trx, p, { actor: ACTOR, now }); // every card INVALID
      const address = account ? `${account.local_part}@${account.domain}` : null;
      await audit(trx, {
        at: now,
        actor: ACTOR,
        action: 'person.retire',
        target: `person:${p.employee_number}`,
        details: {
          retirementDate: p.retirement_date,
          account: address,
          certificatesRevoked: certificates,
          sessionsEnded: sessions,
          mobileIdsRevoked: mobileId.cardsRevoked,
        },
      });
      return { employeeNumber: p.employee_number, account: address };
    });
    if (one) retired.push(one);
  }
  return { date, retired };
}
