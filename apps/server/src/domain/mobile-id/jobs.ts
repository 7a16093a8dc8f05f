// Periodic work of the mobile ID (run by the server's housekeeping timer, or on demand by an
// administrator): expire offers, send the offers of pre-approved requests, deliver webhook SMS,
// forget used nonces and ended presentation requests.
import type { Db } from '../db.ts';
import { inTransaction } from '../db.ts';
import { expireRequest } from './offers.ts';
import { pruneVpRequests } from './presentations.ts';
import { offerApprovedRequests } from './requests.ts';
import type { MidSettings } from './settings.ts';
import { deliverPendingSms, type FetchFn } from './sms.ts';

export interface MidJobResult {
  readonly expired: number;
  readonly offered: number;
  readonly sms: { sent: number; retried: number; failed: number };
  readonly noncesPruned: number;
}

export async function runMobileIdJobs(
  db: Db,
  settings: MidSettings,
  now: Date,
  fetchFn?: FetchFn,
): Promise<MidJobResult> {
  const ctx = { actor: 'system:mobile-id', now };
  const due = await db
    .selectFrom('mid_requests as r')
    .innerJoin('mid_offers as o', 'o.request_id', 'r.id')
    .select('r.id')
    .where('r.state', '=', 'offered')
    .where('o.redeemed_at', 'is', null)
    .where('o.invalidated_at', 'is', null)
    .where('o.expires_at', '<=', now)
    .limit(500)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    await inTransaction(db, async (trx) => {
      const r = await trx
        .selectFrom('mid_requests')
        .selectAll()
        .where('id', '=', id)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (r?.state === 'offered') {
        await expireRequest(trx, r, ctx);
        expired++;
      }
    });
  }
  const offered = await offerApprovedRequests(db, settings, now);
  const sms = await deliverPendingSms(db, settings.sms, now, fetchFn);
  const pruned = await db
    .deleteFrom('mid_nonces')
    .where('expires_at', '<', new Date(now.getTime() - 3_600_000))
    .executeTakeFirst();
  // presentation requests carry single-use nonces too
  const vpPruned = await pruneVpRequests(db, now);
  return { expired, offered, sms, noncesPruned: Number(pruned.numDeletedRows) + vpPruned };
}
