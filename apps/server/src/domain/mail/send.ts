/**
 * Sending from the webmail (DESIGN flow 2).
 *
 * 1. Validate: the sender is the account itself (its own address, its real name), active; every
 *    recipient, the subject, names, file names and the thread headers go through address.ts /
 *    headers.ts (CR/LF → ERR_MAIL_HEADER_INJECTION); HTML is sanitized; attachments are the
 *    account's own uploads or parts of its own messages (anything else is "not found").
 * 2. Build the MIME (compose.ts) and stream it into the blob store: the sender's copy (with Bcc)
 *    is parsed on the way like inbound mail (attachment blobs, text for search); the copy the
 *    recipients get (no Bcc) is a second blob only when there is a Bcc.
 * 3. ONE transaction: the Sent copy, the copies of the internal recipients (inboxes), their read
 *    receipts, the outbound-queue rows of the external recipients, the answered/forwarded flag of
 *    the original and the removal of the draft. Then the outbound worker is woken.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GongjikError } from '@gongjik/errors';
import { createMessageParser } from '../../smtp/parse.ts';
import { type Db, inTransaction } from '../db.ts';
import { type Mailbox, parseMailbox } from './address.ts';
import {
  type ComposeAttachment,
  type ComposedMail,
  type MailInput,
  mimeStream,
  type ParentMessage,
  prepareMail,
} from './compose.ts';
import { enqueueOutbound } from './outbound.ts';
import type { MailServices } from './services.ts';
import { isUuid } from './store/folders.ts';
import {
  type BlobRef,
  findLocalRecipient,
  getMessage,
  isLocalDomain,
  type ParsedMessage,
  purgeEntries,
  setFlags,
  storeMessage,
} from './store/index.ts';
import { ownUploads } from './uploads.ts';

/** An attachment of a new message: an upload, or a part of one of the account's own messages. */
export interface AttachmentRef {
  readonly uploadId?: string | null;
  readonly messageId?: string | null;
  readonly partId?: string | null;
  /** makes it an inline image referenced from the HTML as cid:<cid> */
  readonly cid?: string | null;
}

export interface SendInput extends MailInput {
  readonly attachments?: readonly AttachmentRef[] | null;
  /** the account's message this one answers (its id in the API) */
  readonly inReplyTo?: string | null;
  /** the account's message this one forwards */
  readonly forwardOf?: string | null;
  /** the draft this message was written in: removed when it is sent */
  readonly draftId?: string | null;
}

export interface RecipientOutcome {
  readonly address: string;
  /** delivered (internal), queued (external), refused (internal mailbox full) */
  readonly status: 'delivered' | 'queued' | 'refused';
  readonly code?: string;
}

export interface SendResult {
  /** the Sent copy: the API's message id */
  readonly id: string;
  readonly messageId: string;
  readonly recipients: readonly RecipientOutcome[];
}

export interface SendContext {
  readonly now: Date;
}

const CID = /^[A-Za-z0-9._@-]{1,100}$/;

/** The account as a sender: active, its own address and real name. */
export async function loadSender(db: Db, accountId: string): Promise<Mailbox> {
  const a = await db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!a) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  if (a.state !== 'active') throw new GongjikError('ERR_MAIL_ACCOUNT_READ_ONLY');
  return parseMailbox({ name: a.real_name, address: `${a.local_part}@${a.domain}` }, 'from');
}

/** A Readable that opens its source only when first read (blob streams are opened late). */
export function lazyStream(open: () => Promise<Readable>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
  );
}

/** The account's attachments for a new message, in order. */
export async function resolveAttachments(
  db: Db,
  mail: MailServices,
  accountId: string,
  refs: readonly AttachmentRef[],
): Promise<{ attachments: ComposeAttachment[]; uploadIds: string[] }> {
  const uploadIds = refs.flatMap((r) => (r.uploadId ? [r.uploadId] : []));
  const uploads = await ownUploads(db, accountId, uploadIds);
  const out: ComposeAttachment[] = [];
  for (const [i, ref] of refs.entries()) {
    const cid = ref.cid ?? null;
    if (cid !== null && !CID.test(cid))
      throw new GongjikError('ERR_INPUT_INVALID', { field: `attachments[${i}].cid` });
    if (ref.uploadId) {
      const u = uploads.find((x) => x.id === ref.uploadId)!;
      out.push({
        filename: u.filename,
        contentType: u.content_type,
        size: u.size,
        cid,
        open: () => lazyStream(() => mail.blobs.open(u.sha256)),
      });
    } else if (ref.messageId && ref.partId) {
      const m = await getMessage(db, accountId, ref.messageId).catch(() => {
        throw new GongjikError('ERR_MAIL_ATTACHMENT_NOT_FOUND');
      });
      const part = m.attachments.find((a) => a.partId === ref.partId);
      if (!part) throw new GongjikError('ERR_MAIL_ATTACHMENT_NOT_FOUND');
      out.push({
        filename: part.filename ?? 'attachment',
        contentType: part.contentType,
        size: part.size,
        cid: cid ?? (part.inline ? part.contentId : null),
        open: () => lazyStream(() => mail.blobs.open(part.sha256)),
      });
    } else {
      throw new GongjikError('ERR_INPUT_INVALID', { field: `attachments[${i}]` });
    }
  }
  return { attachments: out, uploadIds };
}

/** Streams the MIME into a blob, and (optionally) through the message parser at the same time. */
export async function writeMime(
  mail: MailServices,
  composed: ComposedMail,
  options: { keepBcc: boolean; parse: boolean },
): Promise<{ blob: BlobRef; parsed: ParsedMessage | null }> {
  // base64 makes attachments 4/3 larger, plus headers.
  const maxBytes = Math.ceil(mail.settings.maxMessageBytes * 1.4) + 1024 * 1024;
  const writer = mail.blobs.createWriter({ maxBytes });
  const parser = options.parse ? createMessageParser(mail.blobs, { maxBytes }) : null;
  try {
    await pipeline(
      mimeStream(composed, { keepBcc: options.keepBcc }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          await writer.write(chunk);
          if (parser) await parser.write(chunk);
        }
      },
    );
    const parsed = parser ? await parser.finish() : null;
    return { blob: await writer.finish(), parsed };
  } catch (err) {
    parser?.abort();
    await writer.abort();
    throw err;
  }
}

const addressJson = (m: Mailbox) => ({ name: m.name, address: m.address });

/** Which recipients are local accounts and which are outside; unknown local addresses are refused. */
export async function splitRecipients(
  db: Db,
  mail: MailServices,
  composed: ComposedMail,
): Promise<{ internal: { address: string; accountId: string }[]; external: string[] }> {
  const internal: { address: string; accountId: string }[] = [];
  const external: string[] = [];
  const r = composed.recipients;
  const fields = [
    ...r.to.map((m, i) => [m, `to[${i}]`] as const),
    ...r.cc.map((m, i) => [m, `cc[${i}]`] as const),
    ...r.bcc.map((m, i) => [m, `bcc[${i}]`] as const),
  ];
  for (const [m, field] of fields) {
    if (await isLocalDomain(db, m.domain, mail.settings.mailDomain)) {
      const local = await findLocalRecipient(db, m.address);
      if (!local) throw new GongjikError('ERR_MAIL_RECIPIENT_UNKNOWN', { field });
      internal.push({ address: local.address, accountId: local.accountId });
    } else {
      external.push(m.address);
    }
  }
  return { internal, external };
}

async function parentOf(
  db: Db,
  accountId: string,
  id: string | null | undefined,
): Promise<ParentMessage | null> {
  if (!id) return null;
  const m = await getMessage(db, accountId, id);
  return {
    messageId: m.headerMessageId ? `<${m.headerMessageId}>` : null,
    references: m.links.map((l) => `<${l}>`),
  };
}

/** Sends a message from the account. See the module comment for the steps. */
export async function sendMessage(
  db: Db,
  mail: MailServices,
  accountId: string,
  input: SendInput,
  ctx: SendContext,
): Promise<SendResult> {
  const { now } = ctx;
  const from = await loadSender(db, accountId);
  if (input.inReplyTo && input.forwardOf) throw new GongjikError('ERR_INPUT_INVALID', { field: 'forwardOf' });
  const parent = await parentOf(db, accountId, input.inReplyTo ?? input.forwardOf);
  const { attachments, uploadIds } = await resolveAttachments(db, mail, accountId, input.attachments ?? []);
  const total = attachments.reduce((n, a) => n + a.size, 0);
  if (total > mail.settings.maxMessageBytes)
    throw new GongjikError('ERR_MAIL_MESSAGE_TOO_LARGE', {
      maxMb: Math.floor(mail.settings.maxMessageBytes / 1048576),
    });
  if (input.draftId && !isUuid(input.draftId)) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
  const composed = prepareMail(input, {
    from,
    now,
    attachments,
    parent,
    maxRecipients: mail.settings.maxRecipients,
  });
  const { internal, external } = await splitRecipients(db, mail, composed);

  const hasBcc = composed.recipients.bcc.length > 0;
  const own = await writeMime(mail, composed, { keepBcc: true, parse: true });
  const sentParsed: ParsedMessage = { ...own.parsed!, bcc: composed.recipients.bcc.map(addressJson) };
  const sentCopy = own.blob;
  const theirCopy = hasBcc
    ? (await writeMime(mail, composed, { keepBcc: false, parse: false })).blob
    : own.blob;
  const theirParsed: ParsedMessage = { ...own.parsed!, bcc: [] };

  const result = await inTransaction(db, async (trx) => {
    if (input.draftId) {
      const draft = await trx
        .selectFrom('mail_drafts')
        .select(['id', 'entry_id'])
        .where('id', '=', input.draftId)
        .where('account_id', '=', accountId)
        .forUpdate()
        .executeTakeFirst();
      if (!draft) throw new GongjikError('ERR_MAIL_DRAFT_NOT_FOUND');
      await trx.deleteFrom('mail_drafts').where('id', '=', draft.id).execute();
      if (draft.entry_id) await purgeOwnEntry(trx, accountId, draft.entry_id);
    }
    const sent = await storeMessage(trx, {
      blob: sentCopy,
      parsed: sentParsed,
      recipients: [{ accountId, folder: 'sent', flags: { seen: true } }],
      now,
    });
    const sentEntryId = sent.deliveries[0]!.entryId;
    const outcomes: RecipientOutcome[] = [];
    if (internal.length) {
      const delivered = await storeMessage(trx, {
        blob: theirCopy,
        parsed: theirParsed,
        recipients: internal.map((r) => r.accountId),
        envelope: { mailFrom: from.address, rcptTo: internal.map((r) => r.address) },
        now,
        onQuotaExceeded: 'skip',
      });
      const byAccount = new Map(delivered.deliveries.map((d) => [d.accountId, d]));
      const receipts = internal.flatMap((r) => {
        const d = byAccount.get(r.accountId);
        if (!d) return [];
        return [
          {
            sent_entry_id: sentEntryId,
            sender_account_id: accountId,
            recipient_account_id: r.accountId,
            recipient_address: r.address,
            delivered_entry_id: d.entryId,
            delivered_at: now,
          },
        ];
      });
      if (receipts.length)
        await trx
          .insertInto('mail_receipts')
          .values(receipts)
          .onConflict((oc) => oc.doNothing())
          .execute();
      for (const r of internal) {
        outcomes.push(
          byAccount.has(r.accountId)
            ? { address: r.address, status: 'delivered' }
            : { address: r.address, status: 'refused', code: 'ERR_MAIL_QUOTA_EXCEEDED' },
        );
      }
    }
    if (external.length) {
      await enqueueOutbound(
        trx,
        {
          accountId,
          sentEntryId,
          headerMessageId: composed.messageId,
          rawSha256: theirCopy.sha256,
          mailFrom: from.address,
          recipients: external,
        },
        now,
      );
      for (const address of external) outcomes.push({ address, status: 'queued' });
    }
    if (input.inReplyTo) await setFlags(trx, accountId, [input.inReplyTo], { answered: true });
    if (input.forwardOf) await setFlags(trx, accountId, [input.forwardOf], { forwarded: true });
    return { id: sentEntryId, messageId: composed.messageId, recipients: outcomes };
  });
  if (external.length) mail.kickOutbound();
  return result;
}

/** Removes one of the account's own entries for good (a replaced draft copy). */
export async function purgeOwnEntry(trx: Db, accountId: string, entryId: string): Promise<void> {
  const row = await trx
    .selectFrom('mail_entries')
    .select('id')
    .where('id', '=', entryId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (row) await purgeEntries(trx, [row.id]);
}
