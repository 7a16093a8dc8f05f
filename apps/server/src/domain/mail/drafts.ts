/**
 * Drafts (임시보관함): the compose state is kept as JSON (`mail_drafts.data`: recipients with Bcc,
 * subject, bodies, attachment references, the message answered or forwarded), and a MIME copy is
 * kept in the Drafts folder (flag `draft`) so the folder list shows it. Each save replaces that
 * copy in one transaction. Saving checks `version` (optimistic concurrency): two tabs autosaving the
 * same draft cannot silently overwrite each other (ERR_MAIL_DRAFT_CONFLICT).
 *
 * Drafts are validated like messages (CR/LF refused, HTML sanitized) except that they may have no
 * recipient yet.
 */
import { GongjikError } from '@gongjik/errors';
import { type Db, inTransaction } from '../db.ts';
import { prepareMail } from './compose.ts';
import {
  type AttachmentRef,
  loadSender,
  purgeOwnEntry,
  resolveAttachments,
  type SendInput,
  writeMime,
} from './send.ts';
import type { MailServices } from './services.ts';
import { isUuid } from './store/folders.ts';
import { getMessage, storeMessage } from './store/index.ts';
import { extendUploads } from './uploads.ts';

export type DraftInput = Omit<SendInput, 'draftId'>;

export interface DraftView {
  readonly id: string;
  readonly version: number;
  /** the copy in the Drafts folder */
  readonly entryId: string | null;
  readonly updatedAt: string;
  readonly draft: DraftInput;
}

const DRAFT_KEEP_MS = 90 * 24 * 3_600_000;

function clean(input: DraftInput): DraftInput {
  return {
    to: input.to ?? [],
    cc: input.cc ?? [],
    bcc: input.bcc ?? [],
    subject: input.subject ?? '',
    text: input.text ?? null,
    html: input.html ?? null,
    attachments: (input.attachments ?? []).map((a: AttachmentRef) => ({
      uploadId: a.uploadId ?? null,
      messageId: a.messageId ?? null,
      partId: a.partId ?? null,
      cid: a.cid ?? null,
    })),
    inReplyTo: input.inReplyTo ?? null,
    forwardOf: input.forwardOf ?? null,
  };
}

/** Creates (draftId null) or replaces a draft. Returns its new version. */
export async function saveDraft(
  db: Db,
  mail: MailServices,
  accountId: string,
  draftId: string | null,
  input: DraftInput,
  ctx: { now: Date; version?: number | null },
): Promise<DraftView> {
  const { now } = ctx;
  if (draftId !== null && !isUuid(draftId)) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
  const from = await loadSender(db, accountId);
  const data = clean(input);
  const { attachments, uploadIds } = await resolveAttachments(db, mail, accountId, data.attachments ?? []);
  const parentId = data.inReplyTo ?? data.forwardOf;
  const parent = parentId ? await getMessage(db, accountId, parentId) : null;
  const composed = prepareMail(data, {
    from,
    now,
    attachments,
    parent: parent
      ? {
          messageId: parent.headerMessageId ? `<${parent.headerMessageId}>` : null,
          references: parent.links.map((l) => `<${l}>`),
        }
      : null,
    maxRecipients: mail.settings.maxRecipients,
    allowNoRecipients: true,
  });
  const copy = await writeMime(mail, composed, { keepBcc: true, parse: true });
  const parsed = {
    ...copy.parsed!,
    bcc: composed.recipients.bcc.map((m) => ({ name: m.name, address: m.address })),
  };
  const row = await inTransaction(db, async (trx) => {
    let previous: { id: string; entry_id: string | null; version: number } | undefined;
    if (draftId) {
      previous = await trx
        .selectFrom('mail_drafts')
        .select(['id', 'entry_id', 'version'])
        .where('id', '=', draftId)
        .where('account_id', '=', accountId)
        .forUpdate()
        .executeTakeFirst();
      if (!previous) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
      if (ctx.version != null && ctx.version !== previous.version)
        throw new GongjikError('ERR_MAIL_DRAFT_CONFLICT');
      if (previous.entry_id) await purgeOwnEntry(trx, accountId, previous.entry_id);
    }
    const stored = await storeMessage(trx, {
      blob: copy.blob,
      parsed,
      recipients: [{ accountId, folder: 'drafts', flags: { seen: true, draft: true } }],
      now,
    });
    const entryId = stored.deliveries[0]!.entryId;
    await extendUploads(trx, uploadIds, new Date(now.getTime() + DRAFT_KEEP_MS));
    if (previous) {
      return trx
        .updateTable('mail_drafts')
        .set({
          entry_id: entryId,
          data: JSON.stringify(data),
          version: previous.version + 1,
          updated_at: now,
        })
        .where('id', '=', previous.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return trx
      .insertInto('mail_drafts')
      .values({
        account_id: accountId,
        entry_id: entryId,
        data: JSON.stringify(data),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return view(row);
}

function view(r: {
  id: string;
  version: number;
  entry_id: string | null;
  updated_at: Date;
  data: unknown;
}): DraftView {
  return {
    id: r.id,
    version: r.version,
    entryId: r.entry_id,
    updatedAt: r.updated_at.toISOString(),
    draft: r.data as DraftInput,
  };
}

export async function getDraft(db: Db, accountId: string, draftId: string): Promise<DraftView> {
  if (!isUuid(draftId)) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
  const r = await db
    .selectFrom('mail_drafts')
    .selectAll()
    .where('id', '=', draftId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!r) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
  return view(r);
}

/** The account's drafts, newest first (bounded). */
export async function listDrafts(db: Db, accountId: string): Promise<DraftView[]> {
  const rows = await db
    .selectFrom('mail_drafts')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('updated_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(view);
}

export async function deleteDraft(db: Db, accountId: string, draftId: string): Promise<void> {
  if (!isUuid(draftId)) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
  await inTransaction(db, async (trx) => {
    const r = await trx
      .deleteFrom('mail_drafts')
      .where('id', '=', draftId)
      .where('account_id', '=', accountId)
      .returning('entry_id')
      .executeTakeFirst();
    if (!r) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
    if (r.entry_id) await purgeOwnEntry(trx, accountId, r.entry_id);
  });
}
