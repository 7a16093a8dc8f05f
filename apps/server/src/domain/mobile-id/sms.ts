// Text messages through a pluggable provider. Every message is written to sms_messages in the
// transaction that decides to send it (a transactional outbox), so a rolled-back change sends
// nothing. Providers:
// - outbox (default): the row is the delivery (state stored); administrators read it in the admin
//   API (GET /api/v1/admin/sms-outbox). Development, demos, and sites without a gateway.
// - webhook: a worker POSTs each message as JSON to a configured URL with an HMAC-SHA256
//   signature, retrying with backoff; the body is erased once the gateway accepted it.
import { createHmac } from 'node:crypto';
import type { SmsMessage } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { SmsConfig } from '../../config.ts';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';

export interface OutgoingSms {
  /** digits, e.g. 01012345678 */
  readonly recipient: string;
  /** mid-install | mid-code */
  readonly kind: string;
  readonly body: string;
  /** what it is about, e.g. mid-request:<uuid> */
  readonly ref: string;
}

export const maskMobile = (m: string) => `${m.slice(0, 3)}****${m.slice(-4)}`;

/** Queues one message (call it in the transaction of the change that sends it). Audited. */
export async function queueSms(
  trx: Db,
  sms: OutgoingSms,
  config: SmsConfig,
  ctx: ChangeContext,
): Promise<string> {
  const row = await trx
    .insertInto('sms_messages')
    .values({
      recipient: sms.recipient,
      kind: sms.kind,
      body: sms.body,
      ref: sms.ref,
      provider: config.provider,
      state: config.provider === 'outbox' ? 'stored' : 'pending',
      next_attempt_at: config.provider === 'outbox' ? null : ctx.now,
      created_at: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'sms.queue',
    target: `sms:${row.id}`,
    details: { kind: sms.kind, to: maskMobile(sms.recipient), ref: sms.ref, provider: config.provider },
    ip: ctx.ip,
  });
  return row.id;
}

export interface SmsView {
  readonly id: string;
  readonly to: string;
  readonly kind: string;
  /** null once a gateway accepted it (the text held a link or a code) */
  readonly body: string | null;
  readonly ref: string | null;
  readonly provider: string;
  readonly state: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

const viewOf = (m: SmsMessage): SmsView => ({
  id: m.id,
  to: m.recipient,
  kind: m.kind,
  body: m.body,
  ref: m.ref,
  provider: m.provider,
  state: m.state,
  attempts: m.attempts,
  lastError: m.last_error,
  createdAt: m.created_at.toISOString(),
  sentAt: m.sent_at?.toISOString() ?? null,
});

/** The outbox as administrators see it, newest first. */
export async function listSms(
  db: Db,
  q: { to?: string; ref?: string; state?: string; limit?: number } = {},
): Promise<SmsView[]> {
  let query = db.selectFrom('sms_messages').selectAll();
  if (q.to) query = query.where('recipient', '=', q.to.replace(/[\s-]/g, ''));
  if (q.ref) query = query.where('ref', '=', q.ref);
  if (q.state) query = query.where('state', '=', q.state as SmsMessage['state']);
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000))
    .execute();
  return rows.map(viewOf);
}

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

const LEASE_MS = 60_000;
const BATCH = 20;
const TIMEOUT_MS = 10_000;

/** Seconds before attempt n+1: 30 s, 1 min, 2 min … capped at 1 h. */
export function smsBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/** The signature header of a webhook call: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * Delivers due webhook messages: claims up to 20 (pending and due, or sending with an expired
 * lease) with FOR UPDATE SKIP LOCKED and a 60 s lease, so several processes can run it; calls the
 * gateway outside any transaction; then records sent (body erased), a retry with backoff, or
 * failed after the last attempt (body erased, audited). Returns what happened.
 */
export async function deliverPendingSms(
  db: Db,
  config: SmsConfig,
  now: Date,
  fetchFn: FetchFn = fetch,
): Promise<{ sent: number; retried: number; failed: number }> {
  const out = { sent: 0, retried: 0, failed: 0 };
  if (config.provider !== 'webhook' || !config.webhookUrl || !config.webhookSecret) return out;
  const claimed = await inTransaction(db, async (trx) => {
    const due = await trx
      .selectFrom('sms_messages')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .where('provider', '=', 'webhook')
      .orderBy('next_attempt_at')
      .limit(BATCH)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable('sms_messages')
      .set((eb) => ({
        state: 'sending',
        lease_until: new Date(now.getTime() + LEASE_MS),
        attempts: eb('attempts', '+', 1),
      }))
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returningAll()
      .execute();
  });
  for (const m of claimed) {
    let error: string | null = null;
    try {
      const body = JSON.stringify({ id: m.id, to: m.recipient, kind: m.kind, text: m.body ?? '' });
      const res = await fetchFn(config.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.id,
          'x-gongjik-signature': signWebhook(config.webhookSecret, Math.floor(now.getTime() / 1000), body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => {});
      if (!res.ok) error = `http_${res.status}`;
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    }
    if (error === null) {
      await db
        .updateTable('sms_messages')
        .set({ state: 'sent', sent_at: now, body: null, lease_until: null, last_error: null })
        .where('id', '=', m.id)
        .execute();
      out.sent++;
    } else if (m.attempts >= config.maxAttempts) {
      await inTransaction(db, async (trx) => {
        await trx
          .updateTable('sms_messages')
          .set({ state: 'failed', body: null, lease_until: null, last_error: error })
          .where('id', '=', m.id)
          .execute();
        await audit(trx, {
          at: now,
          actor: 'system:sms',
          action: 'sms.fail',
          target: `sms:${m.id}`,
          outcome: 'failure',
          code: 'ERR_SMS_DELIVERY_FAILED',
          details: { kind: m.kind, ref: m.ref, attempts: m.attempts, error },
        });
      });
      out.failed++;
    } else {
      await db
        .updateTable('sms_messages')
        .set({
          state: 'pending',
          lease_until: null,
          last_error: error,
          next_attempt_at: new Date(now.getTime() + smsBackoffMs(m.attempts)),
        })
        .where('id', '=', m.id)
        .execute();
      out.retried++;
    }
  }
  return out;
}

/** Refuses a webhook configuration that cannot work (used by start-up checks and tests). */
export function assertSmsConfig(config: SmsConfig): void {
  if (config.provider === 'webhook' && (!config.webhookUrl || !config.webhookSecret)) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', { field: 'GONGJIK_SMS_WEBHOOK_URL' });
  }
}
