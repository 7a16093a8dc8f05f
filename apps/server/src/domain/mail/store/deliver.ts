// Delivery: one message into one or more local mailboxes, in ONE transaction — the message row once,
// one mailbox entry per recipient (folder, flags, thread, search vector), quota checked under the
// mailbox row lock. The caller commits, then answers (SMTP 250, HTTP 201).
import { randomUUID } from 'node:crypto';
import type { FolderRole, MailAuthJson, MailEnvelopeJson } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import { type Db, inTransaction } from '../../db.ts';
import { scopeTerm, searchVector } from '../search-text.ts';
import { chooseThread, messageLinks, needsSubjectLookup, normalizeMessageId, subjectKey } from '../thread.ts';
import { createSystemFolders, DEFAULT_QUOTA_BYTES, isUuid } from './folders.ts';
import type { BlobRef, MessageFlags, ParsedMessage } from './types.ts';

/** Where one copy goes. A bare account id means: that account's `folder` (default inbox). */
export interface DeliveryTarget {
  readonly accountId: string;
  /** a system folder (default: the input's `folder`, else inbox) */
  readonly folder?: FolderRole;
  /** or one of the account's own folders (wins over `folder`) */
  readonly folderId?: string;
  readonly flags?: Partial<MessageFlags>;
}

export interface StoreMessageInput {
  readonly blob: BlobRef;
  readonly parsed: ParsedMessage;
  /** account ids or targets; duplicates (same account and folder) are delivered once */
  readonly recipients: readonly (string | DeliveryTarget)[];
  /** system folder for bare account ids (default inbox) */
  readonly folder?: FolderRole;
  /** flags for every copy (a target's own flags win) */
  readonly flags?: Partial<MessageFlags>;
  readonly auth?: MailAuthJson | null;
  readonly external?: boolean;
  readonly envelope?: MailEnvelopeJson;
  /** the arrival time; also the sort key of folder lists */
  readonly now: Date;
  /** 'refuse' (default): one full mailbox refuses the whole delivery; 'skip': deliver to the others */
  readonly onQuotaExceeded?: 'refuse' | 'skip';
  /** quota of mailboxes created on the fly (default 1 GiB) */
  readonly defaultQuotaBytes?: number;
}

export interface Delivery {
  readonly accountId: string;
  readonly folderId: string;
  /** the mailbox entry id: what the API calls the message id */
  readonly entryId: string;
  readonly threadId: string;
}

export interface StoreMessageResult {
  /** the shared mail_messages row */
  readonly messageId: string;
  readonly deliveries: readonly Delivery[];
  /** recipients skipped because their mailbox is full (only with onQuotaExceeded 'skip') */
  readonly skipped: readonly { readonly accountId: string; readonly code: 'ERR_MAIL_QUOTA_EXCEEDED' }[];
}

/** Most characters of the text body kept as the list excerpt. */
export const EXCERPT_CHARS = 200;
const SCOPE_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

const addressText = (a: { name: string; address: string } | null | undefined) =>
  a ? `${a.name} ${a.address}` : '';

/** The search vector text of a message for one account (see search-text.ts). */
export function messageSearchVector(parsed: ParsedMessage, accountId: string): string {
  return searchVectorTemplate(parsed).replace(SCOPE_PLACEHOLDER, accountId);
}

function searchVectorTemplate(parsed: ParsedMessage): string {
  const participants = [parsed.from, ...parsed.to, ...parsed.cc, ...(parsed.bcc ?? [])]
    .map(addressText)
    .join(' ');
  return searchVector(
    {
      subject: parsed.subject,
      participants,
      attachmentNames: parsed.attachments.map((a) => a.filename ?? '').join(' '),
      body: parsed.text,
    },
    { scope: [scopeTerm('account', SCOPE_PLACEHOLDER)] },
  );
}

export function makeExcerpt(text: string): string {
  return [...text.replace(/\s+/g, ' ').trim()].slice(0, EXCERPT_CHARS).join('');
}

interface Target {
  accountId: string;
  folderRole: FolderRole | null;
  folderId: string | null;
  flags: Partial<MessageFlags>;
}

/**
 * Stores one message for several local recipients in one transaction (joins the caller's
 * transaction when `db` is one). Refuses a full mailbox with ERR_MAIL_QUOTA_EXCEEDED (SMTP 552 5.2.2)
 * unless `onQuotaExceeded: 'skip'`. Mailboxes missing their system folders get them first.
 */
export async function storeMessage(db: Db, input: StoreMessageInput): Promise<StoreMessageResult> {
  const targets = normalizeTargets(input);
  if (targets.length === 0) throw new GongjikError('ERR_MAIL_NO_RECIPIENTS');
  const accountIds = [...new Set(targets.map((t) => t.accountId))].sort();
  const { parsed, now } = input;
  const size = input.blob.size;
  const ownId = normalizeMessageId(parsed.messageId);
  const links = messageLinks({ ...parsed, date: parsed.date ?? now });
  const key = subjectKey(parsed.subject);
  const vectorTemplate = searchVectorTemplate(parsed);

  return inTransaction(db, async (trx) => {
    // 1. Lock the mailboxes (in id order: no deadlocks), creating missing ones; check quotas.
    let boxes = await lockBoxes(trx, accountIds);
    if (boxes.length < accountIds.length) {
      const have = new Set(boxes.map((b) => b.account_id));
      for (const id of accountIds)
        if (!have.has(id)) await createSystemFolders(trx, id, { now, quotaBytes: input.defaultQuotaBytes });
      boxes = await lockBoxes(trx, accountIds);
    }
    const copies = new Map<string, number>();
    for (const t of targets) copies.set(t.accountId, (copies.get(t.accountId) ?? 0) + 1);
    const full = new Set<string>();
    for (const b of boxes) {
      if (b.used_bytes + size * (copies.get(b.account_id) ?? 1) > b.quota_bytes) full.add(b.account_id);
    }
    if (full.size > 0 && input.onQuotaExceeded !== 'skip') {
      const b = boxes.find((x) => full.has(x.account_id))!;
      throw new GongjikError('ERR_MAIL_QUOTA_EXCEEDED', { quotaMb: Math.floor(b.quota_bytes / 1048576) });
    }
    const live = targets.filter((t) => !full.has(t.accountId));
    const skipped = [...full].map((accountId) => ({ accountId, code: 'ERR_MAIL_QUOTA_EXCEEDED' as const }));
    if (live.length === 0) return { messageId: '', deliveries: [], skipped };

    // 2. Folder ids.
    const roleRows = await trx
      .selectFrom('mail_folders')
      .select(['id', 'account_id', 'role'])
      .where('account_id', 'in', accountIds)
      .where('role', 'is not', null)
      .execute();
    const ownFolders = live.some((t) => t.folderId)
      ? await trx
          .selectFrom('mail_folders')
          .select(['id', 'account_id'])
          .where(
            'id',
            'in',
            live.flatMap((t) => (t.folderId ? [t.folderId] : [])),
          )
          .execute()
      : [];
    const folderOf = (t: Target): string => {
      if (t.folderId) {
        const f = ownFolders.find((r) => r.id === t.folderId && r.account_id === t.accountId);
        if (!f) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
        return f.id;
      }
      return roleRows.find((r) => r.account_id === t.accountId && r.role === t.folderRole)!.id;
    };

    // 3. The message row, once.
    const message = await trx
      .insertInto('mail_messages')
      .values({
        raw_sha256: input.blob.sha256,
        size,
        header_message_id: ownId,
        links,
        in_reply_to: normalizeMessageId(firstId(parsed.inReplyTo)),
        subject: parsed.subject,
        subject_key: key,
        from_address: parsed.from?.address ?? null,
        from_name: parsed.from?.name ?? null,
        to_list: JSON.stringify(parsed.to),
        cc_list: JSON.stringify(parsed.cc),
        bcc_list: JSON.stringify(parsed.bcc ?? []),
        reply_to: JSON.stringify(parsed.replyTo ?? []),
        sent_at: parsed.date,
        received_at: now,
        has_attachments: parsed.attachments.some((a) => !a.inline),
        attachments: JSON.stringify(parsed.attachments),
        excerpt: makeExcerpt(parsed.text),
        auth: input.auth ? JSON.stringify(input.auth) : null,
        external: input.external ?? false,
        envelope: JSON.stringify(input.envelope ?? {}),
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    // 4. Threads, per account.
    const liveAccounts = [...new Set(live.map((t) => t.accountId))];
    const threadOf = await chooseThreads(trx, liveAccounts, { ...parsed, date: now }, ownId, links, key, now);

    // 5. One entry per target.
    const rows = live.map((t) => {
      const flags = { ...input.flags, ...t.flags };
      return {
        id: randomUUID(),
        account_id: t.accountId,
        folder_id: folderOf(t),
        message_id: message.id,
        thread_id: threadOf.get(t.accountId)!,
        received_at: now,
        size,
        has_attachments: parsed.attachments.some((a) => !a.inline),
        subject_key: key,
        seen: flags.seen ?? false,
        flagged: flags.flagged ?? false,
        answered: flags.answered ?? false,
        forwarded: flags.forwarded ?? false,
        draft: flags.draft ?? false,
        trashed_from: null,
        search_vector: sql<string>`${vectorTemplate.replace(SCOPE_PLACEHOLDER, t.accountId)}::tsvector`,
        created_at: now,
      };
    });
    // Two targets of one account in the same folder would violate the (folder, message) index.
    const unique = rows.filter((r, i) => rows.findIndex((x) => x.folder_id === r.folder_id) === i);
    await trx.insertInto('mail_entries').values(unique).execute();
    return {
      messageId: message.id,
      deliveries: unique.map((r) => ({
        accountId: r.account_id,
        folderId: r.folder_id,
        entryId: r.id,
        threadId: r.thread_id,
      })),
      skipped,
    };
  });
}

function normalizeTargets(input: StoreMessageInput): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  for (const r of input.recipients) {
    const t: Target =
      typeof r === 'string'
        ? { accountId: r, folderRole: input.folder ?? 'inbox', folderId: null, flags: {} }
        : {
            accountId: r.accountId,
            folderRole: r.folderId ? null : (r.folder ?? input.folder ?? 'inbox'),
            folderId: r.folderId ?? null,
            flags: r.flags ?? {},
          };
    if (!isUuid(t.accountId)) throw new GongjikError('ERR_INPUT_INVALID', { field: 'recipients' });
    if (t.folderId !== null && !isUuid(t.folderId)) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
    const k = `${t.accountId}/${t.folderId ?? t.folderRole}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

function lockBoxes(trx: Db, accountIds: readonly string[]) {
  return trx
    .selectFrom('mailboxes')
    .select(['account_id', 'quota_bytes', 'used_bytes'])
    .where('account_id', 'in', accountIds)
    .orderBy('account_id')
    .forUpdate()
    .execute();
}

function firstId(v: string | readonly string[] | null | undefined): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') return v[0] ?? null;
  return /<([^<>]*)>/.exec(v)?.[1] ?? v;
}

/** Picks (or starts) the thread of the new message in each account and merges threads it joins. */
async function chooseThreads(
  trx: Db,
  accountIds: readonly string[],
  meta: ParsedMessage & { date: Date },
  ownId: string | null,
  links: readonly string[],
  key: string,
  now: Date,
): Promise<Map<string, string>> {
  const ids = ownId ? [ownId, ...links] : [...links];
  const found =
    ids.length === 0
      ? []
      : (
          await sql<{ account_id: string; thread_id: string; header_message_id: string | null }>`
            SELECT e.account_id, e.thread_id, m.header_message_id
            FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id
            WHERE e.account_id = ANY(${accountIds}::uuid[])
              AND (m.header_message_id = ANY(${ids}::text[]) OR m.links && ${ids}::text[])`.execute(trx)
        ).rows;
  const result = new Map<string, string>();
  const subjectLookup = needsSubjectLookup(meta);
  for (const accountId of accountIds) {
    const mine = found.filter((r) => r.account_id === accountId);
    const ancestors = new Map<string, string>();
    const related: string[] = [];
    for (const r of mine) {
      if (r.header_message_id !== null && links.includes(r.header_message_id)) {
        if (!ancestors.has(r.header_message_id)) ancestors.set(r.header_message_id, r.thread_id);
      } else {
        related.push(r.thread_id);
      }
    }
    let sameSubject: { threadId: string; date: Date }[] = [];
    if (subjectLookup && key !== '') {
      sameSubject = (
        await trx
          .selectFrom('mail_entries')
          .select(['thread_id', 'received_at'])
          .where('account_id', '=', accountId)
          .where('subject_key', '=', key)
          .where('received_at', '<=', now)
          .orderBy('received_at', 'desc')
          .limit(20)
          .execute()
      ).map((r) => ({ threadId: r.thread_id, date: r.received_at }));
    }
    const choice = chooseThread(meta, { ancestors, related, sameSubject });
    const threadId = choice.threadId ?? randomUUID();
    if (choice.merge.length > 0) {
      await trx
        .updateTable('mail_entries')
        .set({ thread_id: threadId })
        .where('account_id', '=', accountId)
        .where('thread_id', 'in', choice.merge)
        .execute();
    }
    result.set(accountId, threadId);
  }
  return result;
}
