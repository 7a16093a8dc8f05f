// Reading and changing one account's messages: list (keyset pages), get, thread, move, flags,
// delete (to Trash, then for good), quota. Every function takes the account id and treats another
// account's ids as "not found".
import type {
  Database,
  MailAddressJson,
  MailAttachmentJson,
  MailAuthJson,
  MailEnvelopeJson,
} from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { type ExpressionBuilder, sql } from 'kysely';
import { type Db, inTransaction } from '../../db.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import { folderIdByRole, folderRow, isUuid, lockMailbox } from './folders.ts';
import { FLAG_NAMES, type MessageFlags } from './types.ts';

/** A row of a folder list or search result. `id` is the mailbox entry id (the API's message id). */
export interface MessageSummary {
  readonly id: string;
  readonly folderId: string;
  readonly threadId: string;
  readonly subject: string;
  readonly from: MailAddressJson | null;
  readonly to: readonly MailAddressJson[];
  /** the Date header (null when missing) */
  readonly sentAt: Date | null;
  readonly receivedAt: Date;
  readonly size: number;
  readonly hasAttachments: boolean;
  readonly excerpt: string;
  readonly flags: MessageFlags;
  readonly external: boolean;
}

export interface MessageDetail extends MessageSummary {
  /** the shared mail_messages row id */
  readonly messageRowId: string;
  readonly rawSha256: string;
  readonly headerMessageId: string | null;
  readonly inReplyTo: string | null;
  readonly links: readonly string[];
  readonly cc: readonly MailAddressJson[];
  readonly bcc: readonly MailAddressJson[];
  readonly replyTo: readonly MailAddressJson[];
  readonly attachments: readonly MailAttachmentJson[];
  readonly auth: MailAuthJson | null;
  readonly envelope: MailEnvelopeJson;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** pass back as `cursor` for the next page; null on the last page */
  readonly nextCursor: string | null;
}

export const summaryColumns = [
  'e.id',
  'e.folder_id',
  'e.thread_id',
  'e.received_at',
  'e.size',
  'e.has_attachments',
  'e.seen',
  'e.flagged',
  'e.answered',
  'e.forwarded',
  'e.draft',
  'm.subject',
  'm.from_address',
  'm.from_name',
  'm.to_list',
  'm.sent_at',
  'm.excerpt',
  'm.external',
] as const;

type SummaryRow = {
  id: string;
  folder_id: string;
  thread_id: string;
  received_at: Date;
  size: number;
  has_attachments: boolean;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  forwarded: boolean;
  draft: boolean;
  subject: string;
  from_address: string | null;
  from_name: string | null;
  to_list: MailAddressJson[] | string;
  sent_at: Date | null;
  excerpt: string;
  external: boolean;
};

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function toSummary(r: SummaryRow): MessageSummary {
  return {
    id: r.id,
    folderId: r.folder_id,
    threadId: r.thread_id,
    subject: r.subject,
    from: r.from_address === null ? null : { name: r.from_name ?? '', address: r.from_address },
    to: json<MailAddressJson[]>(r.to_list),
    sentAt: r.sent_at,
    receivedAt: r.received_at,
    size: r.size,
    hasAttachments: r.has_attachments,
    excerpt: r.excerpt,
    flags: { seen: r.seen, flagged: r.flagged, answered: r.answered, forwarded: r.forwarded, draft: r.draft },
    external: r.external,
  };
}

/** A folder's messages, newest first, by keyset cursor on (received_at, id). */
export async function listMessages(
  db: Db,
  accountId: string,
  folderId: string,
  options: { cursor?: string | null; limit?: number; unreadOnly?: boolean } = {},
): Promise<Page<MessageSummary>> {
  await folderRow(db, accountId, folderId);
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  let q = db
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select(summaryColumns)
    .where('e.folder_id', '=', folderId)
    .where('e.account_id', '=', accountId);
  if (options.unreadOnly) q = q.where('e.seen', '=', false);
  if (after) q = q.where(sql<boolean>`(e.received_at, e.id) < (${after.at}, ${after.id}::uuid)`);
  const rows = await q
    .orderBy('e.received_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit + 1)
    .execute();
  return page(rows.map(toSummary), limit);
}

export function page(items: MessageSummary[], limit: number): Page<MessageSummary> {
  const more = items.length > limit;
  const shown = more ? items.slice(0, limit) : items;
  const last = shown.at(-1);
  return {
    items: shown,
    nextCursor: more && last ? encodeCursor({ at: last.receivedAt, id: last.id }) : null,
  };
}

/** One message of the account (by entry id), with everything the store knows about it. */
export async function getMessage(db: Db, accountId: string, entryId: string): Promise<MessageDetail> {
  if (!isUuid(entryId)) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  const r = await db
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select([
      ...summaryColumns,
      'm.id as message_row_id',
      'm.raw_sha256',
      'm.header_message_id',
      'm.in_reply_to',
      'm.links',
      'm.cc_list',
      'm.bcc_list',
      'm.reply_to',
      'm.attachments',
      'm.auth',
      'm.envelope',
    ])
    .where('e.id', '=', entryId)
    .where('e.account_id', '=', accountId)
    .executeTakeFirst();
  if (!r) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  return {
    ...toSummary(r),
    messageRowId: r.message_row_id,
    rawSha256: r.raw_sha256,
    headerMessageId: r.header_message_id,
    inReplyTo: r.in_reply_to,
    links: r.links,
    cc: json(r.cc_list),
    bcc: json(r.bcc_list),
    replyTo: json(r.reply_to),
    attachments: json(r.attachments),
    auth: json(r.auth),
    envelope: json(r.envelope),
  };
}

/** The messages of one thread in the account, oldest first (bounded: 500). */
export async function getThread(db: Db, accountId: string, threadId: string): Promise<MessageSummary[]> {
  if (!isUuid(threadId)) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  const rows = await db
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select(summaryColumns)
    .where('e.account_id', '=', accountId)
    .where('e.thread_id', '=', threadId)
    .orderBy('e.received_at', 'asc')
    .orderBy('e.id', 'asc')
    .limit(500)
    .execute();
  if (rows.length === 0) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  return rows.map(toSummary);
}

const MAX_BATCH = 1000;

function checkIds(ids: readonly string[]): string[] {
  if (ids.length > MAX_BATCH) throw new GongjikError('ERR_INPUT_INVALID', { field: 'ids' });
  const unique = [...new Set(ids)];
  if (unique.some((id) => !isUuid(id))) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  return unique;
}

/** Fails with ERR_MAIL_MESSAGE_NOT_FOUND unless every id is one of the account's entries. */
async function ownedEntries(trx: Db, accountId: string, ids: readonly string[]) {
  const rows = await trx
    .selectFrom('mail_entries')
    .select(['id', 'folder_id', 'message_id', 'seen'])
    .where('id', 'in', ids)
    .where('account_id', '=', accountId)
    .forUpdate()
    .execute();
  if (rows.length !== ids.length) throw new GongjikError('ERR_MAIL_MESSAGE_NOT_FOUND');
  return rows;
}

/**
 * Moves messages into one of the account's folders. A message already in the target folder (the
 * same message, e.g. sent to oneself) is not duplicated: the moved copy is removed instead.
 * Moving into Trash remembers the folder it came from.
 */
export async function moveMessages(
  db: Db,
  accountId: string,
  entryIds: readonly string[],
  targetFolderId: string,
): Promise<{ moved: number }> {
  const ids = checkIds(entryIds);
  if (ids.length === 0) return { moved: 0 };
  return inTransaction(db, async (trx) => {
    const target = await folderRow(trx, accountId, targetFolderId);
    const rows = (await ownedEntries(trx, accountId, ids)).filter((r) => r.folder_id !== target.id);
    if (rows.length === 0) return { moved: 0 };
    const already = new Set(
      (
        await trx
          .selectFrom('mail_entries')
          .select('message_id')
          .where('folder_id', '=', target.id)
          .where(
            'message_id',
            'in',
            rows.map((r) => r.message_id),
          )
          .execute()
      ).map((r) => r.message_id),
    );
    const dupes = rows.filter((r) => already.has(r.message_id)).map((r) => r.id);
    if (dupes.length) await trx.deleteFrom('mail_entries').where('id', 'in', dupes).execute();
    const moving = rows.filter((r) => !already.has(r.message_id));
    for (const r of moving) {
      await trx
        .updateTable('mail_entries')
        .set({ folder_id: target.id, trashed_from: target.role === 'trash' ? r.folder_id : null })
        .where('id', '=', r.id)
        .execute();
    }
    return { moved: rows.length };
  });
}

/** Sets or clears flags on messages (seen, flagged, answered, forwarded, draft). */
export async function setFlags(
  db: Db,
  accountId: string,
  entryIds: readonly string[],
  flags: Partial<MessageFlags>,
): Promise<{ updated: number }> {
  const ids = checkIds(entryIds);
  const set: Partial<Record<(typeof FLAG_NAMES)[number], boolean>> = {};
  for (const name of FLAG_NAMES) {
    const v = flags[name];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new GongjikError('ERR_INPUT_INVALID', { field: name });
    set[name] = v;
  }
  if (ids.length === 0 || Object.keys(set).length === 0) return { updated: 0 };
  return inTransaction(db, async (trx) => {
    await ownedEntries(trx, accountId, ids);
    const r = await trx
      .updateTable('mail_entries')
      .set(set)
      .where('id', 'in', ids)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return { updated: Number(r.numUpdatedRows) };
  });
}

/**
 * Deletes messages: those outside Trash move to Trash; those already in Trash are removed for good
 * (and the shared message row when no mailbox holds it any more). Blobs are left to the blob
 * garbage collector (another message may share them).
 */
export async function deleteMessages(
  db: Db,
  accountId: string,
  entryIds: readonly string[],
  ctx: { now: Date },
): Promise<{ trashed: number; purged: number }> {
  const ids = checkIds(entryIds);
  if (ids.length === 0) return { trashed: 0, purged: 0 };
  return inTransaction(db, async (trx) => {
    const trash = await folderIdByRole(trx, accountId, 'trash', ctx.now);
    const rows = await ownedEntries(trx, accountId, ids);
    const purge = rows.filter((r) => r.folder_id === trash);
    const toTrash = rows.filter((r) => r.folder_id !== trash).map((r) => r.id);
    if (toTrash.length) await moveMessages(trx, accountId, toTrash, trash);
    if (purge.length)
      await purgeEntries(
        trx,
        purge.map((r) => r.id),
      );
    return { trashed: toTrash.length, purged: purge.length };
  });
}

/** Removes entries for good, and message rows no entry refers to any more. */
export async function purgeEntries(trx: Db, entryIds: readonly string[]): Promise<void> {
  const gone = await trx
    .deleteFrom('mail_entries')
    .where('id', 'in', entryIds)
    .returning('message_id')
    .execute();
  const messageIds = [...new Set(gone.map((r) => r.message_id))];
  if (messageIds.length === 0) return;
  await trx
    .deleteFrom('mail_messages')
    .where('id', 'in', messageIds)
    .where((eb: ExpressionBuilder<Database, 'mail_messages'>) =>
      eb.not(
        eb.exists(
          eb.selectFrom('mail_entries as x').select('x.id').whereRef('x.message_id', '=', 'mail_messages.id'),
        ),
      ),
    )
    .execute();
}

export interface QuotaView {
  readonly quotaBytes: number;
  readonly usedBytes: number;
  readonly messages: number;
}

/** The account's quota and usage (zero usage when the mailbox does not exist yet). */
export async function getQuota(db: Db, accountId: string): Promise<QuotaView | null> {
  const r = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return r ? { quotaBytes: r.quota_bytes, usedBytes: r.used_bytes, messages: r.message_count } : null;
}

/** Sets the account's quota (administrators). Lowering it below usage refuses new mail, keeps the old. */
export async function setQuota(
  db: Db,
  accountId: string,
  quotaBytes: number,
  ctx: { now: Date },
): Promise<void> {
  if (!Number.isSafeInteger(quotaBytes) || quotaBytes < 0)
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'quotaBytes' });
  await inTransaction(db, async (trx) => {
    await lockMailbox(trx, accountId, ctx.now);
    await trx
      .updateTable('mailboxes')
      .set({ quota_bytes: quotaBytes })
      .where('account_id', '=', accountId)
      .execute();
  });
}
