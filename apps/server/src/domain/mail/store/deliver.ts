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
import { createSystemFolders, isUuid } from './folders.ts';
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
  // Only the start matters: collapse a bounded prefix (the whole text only if that prefix is
  // nearly all white space).
  const head = text.length > 8 * EXCERPT_CHARS ? text.slice(0, 8 * EXCERPT_CHARS) : text;
  const flat = head.replace(/\s+/g, ' ').trim();
  if (flat.length <= 2 * EXCERPT_CHARS + 1 && head !== text)
    return excerptOf(text.replace(/\s+/g, ' ').trim());
  return excerptOf(flat);
}

function excerptOf(flat: string): string {
  return [...flat.slice(0, 2 * EXCERPT_CHARS)].slice(0, EXCERPT_CHARS).join('');
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
  const [outcome] = await storeMessages(db, [input]);
  if ('error' in outcome!) throw outcome.error;
  return outcome!.result;
}

/** The outcome of one input of `storeMessages`: stored, or refused with a GongjikError. */
export type StoreOutcome = { readonly result: StoreMessageResult } | { readonly error: GongjikError };

interface Prepared {
  readonly input: StoreMessageInput;
  readonly live: readonly (Target & { folderId: string })[];
  readonly skipped: StoreMessageResult['skipped'];
  readonly messageId: string;
  readonly ownId: string | null;
  readonly links: readonly string[];
  readonly key: string;
  readonly vectorTemplate: string;
}

/**
 * Group commit: stores several messages in ONE transaction with a fixed number of statements
 * (lock the mailboxes and read their system folders; find thread relatives; insert every message
 * row and mailbox entry in one statement), whatever the number of messages. Each input succeeds or
 * is refused on its own (a GongjikError: quota, no recipients, unknown folder) in input order —
 * quotas count the earlier inputs of the batch. A database error fails the whole call (nothing is
 * stored); callers may then retry the inputs one by one. Nothing is durable before the transaction
 * commits: answer only after this resolves (and, inside a caller's transaction, after its commit).
 */
export async function storeMessages(db: Db, inputs: readonly StoreMessageInput[]): Promise<StoreOutcome[]> {
  const outcomes: (StoreOutcome | undefined)[] = inputs.map(() => undefined);
  const targetsOf = inputs.map((input, i) => {
    try {
      const t = normalizeTargets(input);
      if (t.length === 0) throw new GongjikError('ERR_MAIL_NO_RECIPIENTS');
      return t;
    } catch (err) {
      if (!(err instanceof GongjikError)) throw err;
      outcomes[i] = { error: err };
      return [];
    }
  });
  const accountIds = [...new Set(targetsOf.flat().map((t) => t.accountId))].sort();
  if (accountIds.length === 0) return outcomes as StoreOutcome[];

  return inTransaction(db, async (trx) => {
    // 1. Lock the mailboxes (in id order: no deadlocks) with their system folders.
    let boxes = await lockBoxes(trx, accountIds);
    if (boxes.size < accountIds.length) {
      const firstNow = inputs[0]!.now;
      for (const id of accountIds) {
        if (boxes.has(id)) continue;
        const input = inputs.find((_input, i) => targetsOf[i]!.some((t) => t.accountId === id))!;
        await createSystemFolders(trx, id, {
          now: input.now ?? firstNow,
          quotaBytes: input.defaultQuotaBytes,
        });
      }
      boxes = await lockBoxes(trx, accountIds);
    }
    const wanted = [...new Set(targetsOf.flat().flatMap((t) => (t.folderId ? [t.folderId] : [])))];
    const ownFolders =
      wanted.length === 0
        ? new Map<string, string>()
        : new Map(
            (
              await trx
                .selectFrom('mail_folders')
                .select(['id', 'account_id'])
                .where('id', 'in', wanted)
                .execute()
            ).map((r) => [r.id, r.account_id]),
          );

    // 2. Per input, in order: folders, quotas (counting the batch's earlier inputs).
    const used = new Map([...boxes].map(([id, b]) => [id, b.used_bytes]));
    const prepared: (Prepared | null)[] = inputs.map((input, i) => {
      if (outcomes[i]) return null;
      const targets = targetsOf[i]!;
      const size = input.blob.size;
      try {
        const withFolders = targets.map((t) => {
          if (t.folderId) {
            if (ownFolders.get(t.folderId) !== t.accountId)
              throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
            return { ...t, folderId: t.folderId };
          }
          const folderId = boxes.get(t.accountId)!.folders.get(t.folderRole!);
          if (!folderId) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
          return { ...t, folderId };
        });
        // Two targets of one account in the same folder would violate the (folder, message) index.
        const unique = withFolders.filter(
          (t, k) => withFolders.findIndex((x) => x.folderId === t.folderId) === k,
        );
        const copies = new Map<string, number>();
        for (const t of unique) copies.set(t.accountId, (copies.get(t.accountId) ?? 0) + 1);
        const full = new Set<string>();
        for (const [id, n] of copies) if (used.get(id)! + size * n > boxes.get(id)!.quota_bytes) full.add(id);
        if (full.size > 0 && input.onQuotaExceeded !== 'skip') {
          const b = boxes.get([...full][0]!)!;
          throw new GongjikError('ERR_MAIL_QUOTA_EXCEEDED', { quotaMb: Math.floor(b.quota_bytes / 1048576) });
        }
        const live = unique.filter((t) => !full.has(t.accountId));
        for (const t of live) used.set(t.accountId, used.get(t.accountId)! + size);
        const skipped = [...full].map((accountId) => ({
          accountId,
          code: 'ERR_MAIL_QUOTA_EXCEEDED' as const,
        }));
        const { parsed, now } = input;
        return {
          input,
          live,
          skipped,
          messageId: randomUUID(),
          ownId: normalizeMessageId(parsed.messageId),
          links: messageLinks({ ...parsed, date: parsed.date ?? now }),
          key: subjectKey(parsed.subject),
          vectorTemplate: live.length > 0 ? searchVectorTemplate(parsed) : '',
        };
      } catch (err) {
        if (!(err instanceof GongjikError)) throw err;
        outcomes[i] = { error: err };
        return null;
      }
    });

    // 3. Threads: one lookup for the whole batch; earlier inputs of the batch count as known.
    const live = prepared.filter((p): p is Prepared => p !== null && p.live.length > 0);
    const threadOf = await chooseThreads(trx, live);

    // 4. Every message row and every entry, in one statement.
    if (live.length > 0) {
      const messageRows = live.map((p) => messageRow(p));
      const entryRows = live.flatMap((p) =>
        p.live.map((t) => entryRow(p, t, threadOf.get(p)!.get(t.accountId)!)),
      );
      await trx
        .with('m', (q) => q.insertInto('mail_messages').values(messageRows).returning('id'))
        .insertInto('mail_entries')
        .values(entryRows)
        .execute();
      for (const p of live) {
        const threads = threadOf.get(p)!;
        const i = prepared.indexOf(p);
        outcomes[i] = {
          result: {
            messageId: p.messageId,
            deliveries: entryRows
              .filter((r) => r.message_id === p.messageId)
              .map((r) => ({
                accountId: r.account_id,
                folderId: r.folder_id,
                entryId: r.id,
                threadId: threads.get(r.account_id)!,
              })),
            skipped: p.skipped,
          },
        };
      }
    }
    prepared.forEach((p, i) => {
      if (p && !outcomes[i]) outcomes[i] = { result: { messageId: '', deliveries: [], skipped: p.skipped } };
    });
    return outcomes as StoreOutcome[];
  });
}

function messageRow(p: Prepared) {
  const { input } = p;
  const { parsed } = input;
  return {
    id: p.messageId,
    raw_sha256: input.blob.sha256,
    size: input.blob.size,
    header_message_id: p.ownId,
    links: [...p.links],
    in_reply_to: normalizeMessageId(firstId(parsed.inReplyTo)),
    subject: parsed.subject,
    subject_key: p.key,
    from_address: parsed.from?.address ?? null,
    from_name: parsed.from?.name ?? null,
    to_list: JSON.stringify(parsed.to),
    cc_list: JSON.stringify(parsed.cc),
    bcc_list: JSON.stringify(parsed.bcc ?? []),
    reply_to: JSON.stringify(parsed.replyTo ?? []),
    sent_at: parsed.date,
    received_at: input.now,
    has_attachments: parsed.attachments.some((a) => !a.inline),
    attachments: JSON.stringify(parsed.attachments),
    excerpt: makeExcerpt(parsed.text),
    auth: input.auth ? JSON.stringify(input.auth) : null,
    external: input.external ?? false,
    envelope: JSON.stringify(input.envelope ?? {}),
    created_at: input.now,
  };
}

function entryRow(p: Prepared, t: Target & { folderId: string }, threadId: string) {
  const { input } = p;
  const flags = { ...input.flags, ...t.flags };
  return {
    id: randomUUID(),
    account_id: t.accountId,
    folder_id: t.folderId,
    message_id: p.messageId,
    thread_id: threadId,
    received_at: input.now,
    size: input.blob.size,
    has_attachments: input.parsed.attachments.some((a) => !a.inline),
    subject_key: p.key,
    seen: flags.seen ?? false,
    flagged: flags.flagged ?? false,
    answered: flags.answered ?? false,
    forwarded: flags.forwarded ?? false,
    draft: flags.draft ?? false,
    trashed_from: null,
    search_vector: sql<string>`${p.vectorTemplate.replace(SCOPE_PLACEHOLDER, t.accountId)}::tsvector`,
    created_at: input.now,
  };
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

interface LockedBox {
  readonly quota_bytes: number;
  readonly used_bytes: number;
  /** system folder ids by role */
  readonly folders: Map<string, string>;
}

/** Locks the mailbox rows (in account id order) and reads their system folders: one statement. */
async function lockBoxes(trx: Db, accountIds: readonly string[]): Promise<Map<string, LockedBox>> {
  const rows = await sql<{
    account_id: string;
    quota_bytes: string | number;
    used_bytes: string | number;
    folders: { id: string; role: string }[] | null;
  }>`
    WITH b AS (
      SELECT account_id, quota_bytes, used_bytes FROM mailboxes
      WHERE account_id = ANY(${accountIds}::uuid[]) ORDER BY account_id FOR UPDATE)
    SELECT b.account_id, b.quota_bytes, b.used_bytes,
      (SELECT json_agg(json_build_object('id', f.id, 'role', f.role)) FROM mail_folders f
        WHERE f.account_id = b.account_id AND f.role IS NOT NULL) AS folders
    FROM b`.execute(trx);
  return new Map(
    rows.rows.map((r) => [
      r.account_id,
      {
        quota_bytes: Number(r.quota_bytes),
        used_bytes: Number(r.used_bytes),
        folders: new Map((r.folders ?? []).map((f) => [f.role, f.id])),
      },
    ]),
  );
}

function firstId(v: string | readonly string[] | null | undefined): string | null {
  if (v == null) return null;
  if (typeof v !== 'string') return v[0] ?? null;
  return /<([^<>]*)>/.exec(v)?.[1] ?? v;
}

interface KnownEntry {
  readonly account_id: string;
  thread_id: string;
  readonly header_message_id: string | null;
  readonly links: readonly string[];
}

/**
 * Picks (or starts) the thread of each new message in each of its accounts and merges threads it
 * joins. One query finds the stored relatives of the whole batch; the batch's earlier messages are
 * relatives too (they are not in the table yet).
 */
async function chooseThreads(
  trx: Db,
  batch: readonly Prepared[],
): Promise<Map<Prepared, Map<string, string>>> {
  const result = new Map<Prepared, Map<string, string>>();
  const allIds = [...new Set(batch.flatMap((p) => (p.ownId ? [p.ownId, ...p.links] : [...p.links])))];
  const allAccounts = [...new Set(batch.flatMap((p) => p.live.map((t) => t.accountId)))];
  const known: KnownEntry[] =
    allIds.length === 0
      ? []
      : (
          await sql<KnownEntry>`
            SELECT e.account_id, e.thread_id, m.header_message_id, m.links
            FROM mail_entries e JOIN mail_messages m ON m.id = e.message_id
            WHERE e.account_id = ANY(${allAccounts}::uuid[])
              AND (m.header_message_id = ANY(${allIds}::text[]) OR m.links && ${allIds}::text[])`.execute(trx)
        ).rows;
  const pending: (KnownEntry & { subject_key: string; received_at: Date })[] = [];
  for (const p of batch) {
    const ids = p.ownId ? [p.ownId, ...p.links] : [...p.links];
    const meta = { ...p.input.parsed, date: p.input.now };
    const subjectLookup = needsSubjectLookup(meta);
    const threads = new Map<string, string>();
    for (const accountId of new Set(p.live.map((t) => t.accountId))) {
      const relevant = (r: KnownEntry) =>
        r.account_id === accountId &&
        ((r.header_message_id !== null && ids.includes(r.header_message_id)) ||
          r.links.some((l) => ids.includes(l)));
      const mine = [...known.filter(relevant), ...pending.filter(relevant)];
      const ancestors = new Map<string, string>();
      const related: string[] = [];
      for (const r of mine) {
        if (r.header_message_id !== null && p.links.includes(r.header_message_id)) {
          if (!ancestors.has(r.header_message_id)) ancestors.set(r.header_message_id, r.thread_id);
        } else {
          related.push(r.thread_id);
        }
      }
      let sameSubject: { threadId: string; date: Date }[] = [];
      if (subjectLookup && p.key !== '') {
        sameSubject = (
          await trx
            .selectFrom('mail_entries')
            .select(['thread_id', 'received_at'])
            .where('account_id', '=', accountId)
            .where('subject_key', '=', p.key)
            .where('received_at', '<=', p.input.now)
            .orderBy('received_at', 'desc')
            .limit(20)
            .execute()
        ).map((r) => ({ threadId: r.thread_id, date: r.received_at }));
        for (const r of pending)
          if (r.account_id === accountId && r.subject_key === p.key && r.received_at <= p.input.now)
            sameSubject.unshift({ threadId: r.thread_id, date: r.received_at });
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
        // The batch's earlier messages are not in the table yet: merge them here.
        for (const r of [...known, ...pending])
          if (r.account_id === accountId && choice.merge.includes(r.thread_id)) r.thread_id = threadId;
        for (const m of result.values())
          if (m.has(accountId) && choice.merge.includes(m.get(accountId)!)) m.set(accountId, threadId);
      }
      threads.set(accountId, threadId);
      pending.push({
        account_id: accountId,
        thread_id: threadId,
        header_message_id: p.ownId,
        links: p.links,
        subject_key: p.key,
        received_at: p.input.now,
      });
    }
    result.set(p, threads);
  }
  return result;
}
