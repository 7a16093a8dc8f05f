/**
 * Builds the MIME of a message we send, with nodemailer's MailComposer, from values that were
 * validated first (address.ts, headers.ts). Nothing here reads input that was not checked: the
 * caller passes a `ComposedMail` made by `prepareMail`, which is the only place raw input enters.
 *
 * The body is produced as a stream (attachments are streamed from the blob store while the MIME
 * is written), so a 50 MB attachment never sits in memory.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GongjikError } from '@gongjik/errors';
import MailComposer from 'nodemailer/lib/mail-composer';
import { type Mailbox, type MailboxInput, normalizeRecipients, type Recipients } from './address.ts';
import { assertSafeHeaderValue, buildReferences, validateMessageId, validateSubject } from './headers.ts';
import { sanitizeMailHtml } from './sanitize-html.ts';

/** Most bytes of plain text we accept in one message (the HTML has its own limit in the sanitizer). */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;
/** Most attachments in one message. */
export const MAX_ATTACHMENTS = 50;
/** Longest attachment file name (characters). */
export const MAX_FILENAME_LENGTH = 255;

/** An attachment whose bytes come from the blob store. */
export interface ComposeAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  /** Content-ID for an inline image referenced as `cid:` from the HTML, without brackets. */
  readonly cid?: string | null;
  /** Opens the bytes (called once per MIME build). */
  open(): Readable;
}

/** What the thread of a reply/forward needs from the message replied to. */
export interface ParentMessage {
  /** its Message-ID header, or null when it had none */
  readonly messageId: string | null;
  /** its References, parsed */
  readonly references: readonly string[];
}

export interface MailInput {
  readonly to?: readonly MailboxInput[] | null;
  readonly cc?: readonly MailboxInput[] | null;
  readonly bcc?: readonly MailboxInput[] | null;
  readonly subject?: string | null;
  readonly text?: string | null;
  readonly html?: string | null;
}

/** A message ready to be turned into MIME: every value is validated. */
export interface ComposedMail {
  readonly from: Mailbox;
  readonly recipients: Recipients;
  readonly subject: string;
  readonly text: string | null;
  /** sanitized */
  readonly html: string | null;
  readonly messageId: string;
  readonly date: Date;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly attachments: readonly ComposeAttachment[];
}

/** A new Message-ID in our domain: 128 random bits, `<hex@domain>`. */
export function newMessageId(domain: string): string {
  return `<${randomBytes(16).toString('hex')}@${domain}>`;
}

/** Refuses a file name with control characters, path separators or too many characters. */
export function validateFilename(name: unknown, field = 'filename'): string {
  const value = assertSafeHeaderValue(name, field, MAX_FILENAME_LENGTH).trim();
  if (value === '' || /[\\/]/.test(value) || value === '.' || value === '..') {
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field, reason: 'filename' });
  }
  return value;
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** A bare media type (`type/subtype`, no parameters); anything else becomes application/octet-stream. */
export function safeContentType(value: unknown): string {
  if (typeof value !== 'string') return 'application/octet-stream';
  const base = value.split(';')[0]!.trim().toLowerCase();
  return CONTENT_TYPE.test(base) ? base : 'application/octet-stream';
}

/**
 * Validates the parts of a message typed by a user and returns it ready for MIME: recipients
 * normalised (To → Cc → Bcc, deduplicated, capped), subject and body checked, HTML sanitized (its
 * `cid:` references kept when they name one of the attachments), the thread headers built from the
 * parent. The From is always the account's own mailbox (`from`), never taken from input.
 */
export function prepareMail(
  input: MailInput,
  ctx: {
    readonly from: Mailbox;
    readonly now: Date;
    readonly attachments?: readonly ComposeAttachment[];
    readonly parent?: ParentMessage | null;
    readonly messageId?: string;
    readonly maxRecipients?: number;
    /** drafts may have no recipient yet */
    readonly allowNoRecipients?: boolean;
  },
): ComposedMail {
  let recipients: Recipients;
  try {
    recipients = normalizeRecipients(input.to, input.cc, input.bcc, { max: ctx.maxRecipients });
  } catch (err) {
    if (!(ctx.allowNoRecipients && err instanceof GongjikError && err.code === 'ERR_MAIL_NO_RECIPIENTS'))
      throw err;
    recipients = { to: [], cc: [], bcc: [], all: [] };
  }
  const subject = validateSubject(input.subject ?? '');
  const text = input.text == null || input.text === '' ? null : checkText(input.text);
  const attachments = ctx.attachments ?? [];
  if (attachments.length > MAX_ATTACHMENTS)
    throw new GongjikError('ERR_MAIL_TOO_MANY_ATTACHMENTS', { max: MAX_ATTACHMENTS });
  const html =
    input.html == null || input.html.trim() === '' ? null : sanitizeOutgoingHtml(input.html, attachments);
  const parent = ctx.parent ?? null;
  const references = parent ? buildReferences(parent.references, parent.messageId) : [];
  const inReplyTo = parent?.messageId ? validateMessageId(parent.messageId, 'inReplyTo') : null;
  return {
    from: ctx.from,
    recipients,
    subject,
    text,
    html,
    messageId: ctx.messageId ?? newMessageId(ctx.from.domain),
    date: ctx.now,
    inReplyTo,
    references,
    attachments,
  };
}

/**
 * Sanitizes the HTML a user composed. `cid:` references to the message's own inline attachments
 * stay: the sanitizer only resolves cids to same-origin paths, so each is mapped to a path under a
 * random prefix (which no input can know) and turned back into `cid:` afterwards.
 */
function sanitizeOutgoingHtml(html: string, attachments: readonly ComposeAttachment[]): string {
  const prefix = `/__cid_${randomBytes(12).toString('hex')}/`;
  const cids = attachments.flatMap((a) => (a.cid ? [a.cid] : []));
  const cidUrls = Object.fromEntries(cids.map((cid, i) => [cid, `${prefix}${i}`]));
  const clean = sanitizeMailHtml(html, { cidUrls }).html;
  return clean.replaceAll(new RegExp(`${prefix}(\\d+)`, 'g'), (_m, i: string) => `cid:${cids[Number(i)]}`);
}

function checkText(text: unknown): string {
  if (typeof text !== 'string') throw new GongjikError('ERR_INPUT_INVALID', { field: 'text' });
  if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES)
    throw new GongjikError('ERR_INPUT_TOO_LARGE', { field: 'text' });
  // NUL is the one character no mail body may carry; normalise line ends for MIME.
  if (text.includes('\u0000')) throw new GongjikError('ERR_INPUT_INVALID', { field: 'text' });
  return text.replace(/\r\n?/g, '\n');
}

const mailbox = (m: Mailbox) => ({ name: m.name, address: m.address });

/**
 * The MIME of the message as a stream (CRLF line ends). `keepBcc` writes the Bcc header: true for
 * the sender's own copy (Sent, Drafts), false for what recipients receive.
 */
export function mimeStream(mail: ComposedMail, options: { keepBcc: boolean }): Readable {
  const composer = new MailComposer({
    from: mailbox(mail.from),
    to: mail.recipients.to.map(mailbox),
    cc: mail.recipients.cc.map(mailbox),
    bcc: mail.recipients.bcc.map(mailbox),
    subject: mail.subject,
    messageId: mail.messageId,
    date: mail.date,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references.length ? { references: [...mail.references] } : {}),
    text: mail.text ?? (mail.html ? undefined : ''),
    ...(mail.html ? { html: mail.html } : {}),
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.open(),
      ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' } : {}),
    })),
    headers: { 'X-Mailer': 'Gongjik' },
    // Never let nodemailer read a file or fetch a URL named in a message.
    disableFileAccess: true,
    disableUrlAccess: true,
    textEncoding: 'base64',
  });
  const node = composer.compile();
  node.keepBcc = options.keepBcc;
  return node.createReadStream();
}

/** The whole MIME in memory: for small messages (DSNs, tests). */
export async function mimeBuffer(mail: ComposedMail, options: { keepBcc: boolean }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of mimeStream(mail, options)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
