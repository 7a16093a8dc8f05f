/**
 * Read receipts (수신확인) and recall (발송취소) of internal mail.
 *
 * A message sent through the webmail to local accounts leaves one `mail_receipts` row per
 * recipient: delivered at, read at (the first time the recipient OPENS the message — listing it or
 * marking it read without opening does not count), recalled at.
 *
 * Opening and recalling are serialised on the receipt row: `openMessage` stamps `read_at` (only
 * while not recalled) BEFORE it reads the message, and `recallMessage` removes copies only where
 * `read_at` is still empty, under `FOR UPDATE`. So either the reader saw the message and the sender
 * sees "already read", or the copy is gone and the reader gets "not found" — never both.
 */
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { outboundStatus } from './outbound.ts';
import { getMessage, type MessageDetail, purgeEntries, setFlags } from './store/index.ts';

/** Opens one of the account's messages: records the read receipt, marks it seen, returns it. */
export async function openMessage(
  db: Db,
  accountId: string,
  entryId: string,
  now: Date,
): Promise<MessageDetail> {
  return inTransaction(db, async (trx) => {
    await trx
      .updateTable('mail_receipts')
      .set({ read_at: now })
      .where('delivered_entry_id', '=', entryId)
      .where('recipient_account_id', '=', accountId)
      .where('read_at', 'is', null)
      .where('recalled_at', 'is', null)
      .execute();
    const m = await getMessage(trx, accountId, entryId);
    if (!m.flags.seen) await setFlags(trx, accountId, [entryId], { seen: true });
    return { ...m, flags: { ...m.flags, seen: true } };
  });
}

export type ReceiptState = 'delivered' | 'read' | 'recalled' | 'deleted' | 'queued' | 'sent' | 'failed';

export interface ReceiptView {
  readonly address: string;
  readonly internal: boolean;
  readonly state: ReceiptState;
  readonly deliveredAt: string | null;
  readonly readAt: string | null;
  readonly recalledAt: string | null;
  /** for external recipients: the remote server's last answer */
  readonly detail: string | null;
}

/** The per-recipient status of a message the account sent (its Sent copy's id). */
export async function getReceipts(db: Db, accountId: string, sentEntryId: string): Promise<ReceiptView[]> {
  await getMessage(db, accountId, sentEntryId); // another account's id: not found
  const rows = await db
    .selectFrom('mail_receipts')
    .selectAll()
    .where('sent_entry_id', '=', sentEntryId)
    .where('sender_account_id', '=', accountId)
    .orderBy('recipient_address')
    .execute();
  const internal: ReceiptView[] = rows.map((r) => ({
    address: r.recipient_address,
    internal: true,
    state: r.recalled_at ? 'recalled' : r.read_at ? 'read' : r.delivered_entry_id ? 'delivered' : 'deleted',
    deliveredAt: r.delivered_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    recalledAt: r.recalled_at?.toISOString() ?? null,
    detail: null,
  }));
  const external: ReceiptView[] = (await outboundStatus(db, sentEntryId)).map((o) => ({
    address: o.address,
    internal: false,
    state: o.state === 'delivered' ? 'sent' : o.state,
    deliveredAt: o.state === 'delivered' ? (o.at?.toISOString() ?? null) : null,
    readAt: null,
    recalledAt: null,
    detail: o.detail,
  }));
  return [...internal, ...external];
}

export type RecallOutcome = 'recalled' | 'already-read' | 'already-recalled' | 'deleted' | 'not-recallable';

export interface RecallResult {
  readonly recipients: readonly { readonly address: string; readonly outcome: RecallOutcome }[];
  readonly recalled: number;
}

/**
 * Withdraws a sent internal message from every recipient who has not opened it; copies already
 * read stay. External recipients are "not-recallable" (the mail has left the system). Audited as
 * `mail.recall` in the same transaction.
 */
export async function recallMessage(
  db: Db,
  accountId: string,
  sentEntryId: string,
  ctx: ChangeContext,
): Promise<RecallResult> {
  return inTransaction(db, async (trx) => {
    const sent = await getMessage(trx, accountId, sentEntryId);
    const rows = await trx
      .selectFrom('mail_receipts')
      .selectAll()
      .where('sent_entry_id', '=', sentEntryId)
      .where('sender_account_id', '=', accountId)
      .orderBy('recipient_address')
      .forUpdate()
      .execute();
    const external = await outboundStatus(trx, sentEntryId);
    if (rows.length === 0 && external.length === 0) {
      throw new GongjikError('ERR_MAIL_NOT_RECALLABLE', { reason: 'not-sent-from-webmail' });
    }
    const out: { address: string; outcome: RecallOutcome }[] = [];
    const purge: string[] = [];
    for (const r of rows) {
      let outcome: RecallOutcome;
      if (r.recalled_at) outcome = 'already-recalled';
      else if (r.read_at) outcome = 'already-read';
      else if (!r.delivered_entry_id) outcome = 'deleted';
      else {
        outcome = 'recalled';
        purge.push(r.delivered_entry_id);
        await trx
          .updateTable('mail_receipts')
          .set({ recalled_at: ctx.now, delivered_entry_id: null })
          .where('sent_entry_id', '=', r.sent_entry_id)
          .where('recipient_account_id', '=', r.recipient_account_id)
          .execute();
      }
      out.push({ address: r.recipient_address, outcome });
    }
    if (purge.length) {
      // Only entries that still exist (the recipient may have expunged theirs).
      const live = await trx.selectFrom('mail_entries').select('id').where('id', 'in', purge).execute();
      if (live.length)
        await purgeEntries(
          trx,
          live.map((e) => e.id),
        );
    }
    for (const e of external) out.push({ address: e.address, outcome: 'not-recallable' });
    const count = (o: RecallOutcome) => out.filter((x) => x.outcome === o).length;
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mail.recall',
      target: `message:${sentEntryId}`,
      outcome: 'success',
      details: {
        messageId: sent.headerMessageId,
        recalled: count('recalled'),
        alreadyRead: count('already-read'),
        notRecallable: count('not-recallable'),
      },
      ip: ctx.ip,
    });
    return { recipients: out, recalled: purge.length };
  });
}
