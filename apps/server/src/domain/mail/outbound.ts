/**
 * The outbound queue: messages for recipients outside the local domains.
 *
 * One row per message and recipient domain (`mail_outbound`). Any number of worker processes share
 * the table: a worker claims due rows with `FOR UPDATE SKIP LOCKED` and stamps them with a lease
 * (a random claim token and `claimed_until`) in one short transaction, delivers without holding a
 * database transaction open, and settles the attempt only if its token is still the row's. A
 * worker that dies leaves a lease that runs out; the row is then claimed again.
 *
 * After each attempt: accepted recipients move to `delivered`; permanently refused ones (5xx) and,
 * after the last attempt, temporarily refused ones move to `failed` and are reported to the sender
 * in one DSN (RFC 3464) delivered to their inbox in the same transaction; the rest wait for the next
 * attempt (`retryDelayMs`: exponential, capped).
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MailOutbound, OutboundFailure } from '@gongjik/db';
import { sql } from 'kysely';
import type { Db } from '../db.ts';
import { inTransaction } from '../db.ts';
import { statusFromReply } from './dsn.ts';

export interface RetryPolicy {
  /** delay before the second attempt */
  readonly baseDelayMs: number;
  /** each further delay is multiplied by this */
  readonly factor: number;
  /** no delay is longer than this */
  readonly maxDelayMs: number;
  /** attempts in all (the first one included); after the last, the remaining recipients bounce */
  readonly maxAttempts: number;
}

/** 5 min, 10, 20, 40, 80 min, 2 h 40, 5 h 20, then every 8 h: 12 attempts ≈ 2.5 days. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 5 * 60_000,
  factor: 2,
  maxDelayMs: 8 * 3_600_000,
  maxAttempts: 12,
};

/** How long after attempt number `attempt` (1-based) the next one is due. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const d = policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, Math.round(d));
}

/** What one delivery attempt to one domain produced. */
export interface DeliveryResult {
  readonly accepted: readonly string[];
  readonly refused: readonly DeliveryRefusal[];
}

export interface DeliveryRefusal {
  readonly address: string;
  /** a 5xx reply (or a failure that no retry can fix: no such domain, null MX) */
  readonly permanent: boolean;
  /** the remote reply or our reason, one line */
  readonly reply: string;
  readonly remoteMta: string | null;
}

export interface DeliveryJob {
  readonly id: string;
  readonly domain: string;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly headerMessageId: string;
  /** opens the raw message (called once per connection attempt) */
  openRaw(): Readable;
}

/** Delivers one job over SMTP (smtp-deliver.ts) or, in tests, anywhere. Never throws for a refusal. */
export interface Deliverer {
  deliver(job: DeliveryJob): Promise<DeliveryResult>;
}

/** Turns the final failures of a row into a DSN in the sender's inbox; returns its entry id. */
export type Bouncer = (
  trx: Db,
  row: MailOutbound,
  failures: readonly OutboundFailure[],
  now: Date,
) => Promise<string | null>;

export interface NewOutbound {
  readonly accountId: string;
  readonly sentEntryId: string | null;
  readonly headerMessageId: string;
  readonly rawSha256: string;
  readonly mailFrom: string;
  /** external recipient addresses (validated, ASCII domains) */
  readonly recipients: readonly string[];
}

/** Queues a message for its external recipients: one row per domain, due at once. */
export async function enqueueOutbound(db: Db, input: NewOutbound, now: Date): Promise<string[]> {
  const byDomain = new Map<string, string[]>();
  for (const address of input.recipients) {
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    const list = byDomain.get(domain) ?? [];
    list.push(address);
    byDomain.set(domain, list);
  }
  if (byDomain.size === 0) return [];
  const rows = await db
    .insertInto('mail_outbound')
    .values(
      [...byDomain].map(([domain, recipients]) => ({
        account_id: input.accountId,
        sent_entry_id: input.sentEntryId,
        header_message_id: input.headerMessageId,
        raw_sha256: input.rawSha256,
        mail_from: input.mailFrom,
        domain,
        recipients,
        state: 'queued' as const,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims up to `limit` due rows for this worker: due (`next_attempt_at <= now`), queued, and not
 * under another worker's live lease. Rows another transaction is claiming right now are skipped
 * (SKIP LOCKED), so concurrent workers never get the same row.
 */
export async function claimOutbound(
  db: Db,
  options: { now: Date; limit: number; leaseMs: number },
): Promise<{ token: string; rows: MailOutbound[] }> {
  const token = randomBytes(16).toString('hex');
  const { now } = options;
  const until = new Date(now.getTime() + options.leaseMs);
  const rows = await inTransaction(db, async (trx) => {
    const due = await trx
      .selectFrom('mail_outbound')
      .select('id')
      .where('state', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(options.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable('mail_outbound')
      .set({ claim_token: token, claimed_until: until, attempts: sql`attempts + 1`, updated_at: now })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returningAll()
      .execute();
  });
  return { token, rows };
}

export interface SettleOutcome {
  readonly delivered: readonly string[];
  readonly failed: readonly OutboundFailure[];
  readonly retrying: readonly string[];
  readonly done: boolean;
  readonly bounceEntryId: string | null;
  /** false when the lease was lost (another worker owns the row now): nothing was written */
  readonly settled: boolean;
}

/**
 * Records the result of one attempt on a claimed row. Only the holder of the claim token may
 * settle; the row is locked while it is updated, and the DSN (if any) is stored in the same
 * transaction, so a bounce is written exactly once.
 */
export async function settleOutbound(
  db: Db,
  claimed: MailOutbound,
  token: string,
  result: DeliveryResult,
  options: { now: Date; policy: RetryPolicy; bounce: Bouncer },
): Promise<SettleOutcome> {
  const { now, policy } = options;
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('mail_outbound')
      .selectAll()
      .where('id', '=', claimed.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.claim_token !== token || row.state !== 'queued') {
      return { delivered: [], failed: [], retrying: [], done: false, bounceEntryId: null, settled: false };
    }
    const pending = new Set(row.recipients.map((a) => a.toLowerCase()));
    const accepted = result.accepted.filter((a) => pending.has(a.toLowerCase()));
    const acceptedKeys = new Set(accepted.map((a) => a.toLowerCase()));
    const lastAttempt = row.attempts >= policy.maxAttempts;
    const failed: OutboundFailure[] = [];
    const retrying: string[] = [];
    const refusedBy = new Map(result.refused.map((r) => [r.address.toLowerCase(), r]));
    for (const address of row.recipients) {
      const key = address.toLowerCase();
      if (acceptedKeys.has(key)) continue;
      const refusal = refusedBy.get(key) ?? {
        address,
        permanent: false,
        reply: 'no result for this recipient',
        remoteMta: null,
      };
      if (refusal.permanent || lastAttempt) {
        failed.push({
          address,
          status: statusFromReply(refusal.reply, true),
          diagnostic: refusal.reply || null,
          remoteMta: refusal.remoteMta,
          at: now.toISOString(),
        });
      } else {
        retrying.push(address);
      }
    }
    const done = retrying.length === 0;
    const bounceEntryId = failed.length ? await options.bounce(trx, row, failed, now) : null;
    const lastError = result.refused.find((r) => !acceptedKeys.has(r.address.toLowerCase()))?.reply ?? null;
    await trx
      .updateTable('mail_outbound')
      .set({
        recipients: retrying,
        delivered: [...row.delivered, ...accepted],
        failed: JSON.stringify([...row.failed, ...failed]),
        state: done ? 'done' : 'queued',
        next_attempt_at: done
          ? row.next_attempt_at
          : new Date(now.getTime() + retryDelayMs(policy, row.attempts)),
        claim_token: null,
        claimed_until: null,
        last_error: lastError?.slice(0, 1000) ?? null,
        bounce_entry_id: bounceEntryId ?? row.bounce_entry_id,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .execute();
    return { delivered: accepted, failed, retrying, done, bounceEntryId, settled: true };
  });
}

/** The status of every external recipient of a sent message (for the receipts view). */
export async function outboundStatus(
  db: Db,
  sentEntryId: string,
): Promise<
  { address: string; state: 'queued' | 'delivered' | 'failed'; detail: string | null; at: Date | null }[]
> {
  const rows = await db
    .selectFrom('mail_outbound')
    .selectAll()
    .where('sent_entry_id', '=', sentEntryId)
    .orderBy('created_at')
    .execute();
  const out: {
    address: string;
    state: 'queued' | 'delivered' | 'failed';
    detail: string | null;
    at: Date | null;
  }[] = [];
  for (const r of rows) {
    for (const a of r.delivered) out.push({ address: a, state: 'delivered', detail: null, at: r.updated_at });
    for (const f of r.failed)
      out.push({ address: f.address, state: 'failed', detail: f.diagnostic, at: new Date(f.at) });
    for (const a of r.recipients) out.push({ address: a, state: 'queued', detail: r.last_error, at: null });
  }
  return out;
}
