// The webmail API (session + CSRF): folders, messages, attachments, uploads, send, drafts, search,
// threads, receipts, recall, export, quota, the remote-image proxy; and the administrators' DKIM
// records and exports of retired accounts. Thin: validate → one domain call → map. Every domain
// call takes the signed-in account's id, so another account's ids are "not found" there.
import type { Readable } from 'node:stream';
import { GongjikError } from '@gongjik/errors';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { audit } from '../../domain/audit/audit.ts';
import { collectBlobGarbage, DEFAULT_GC_GRACE_MS, MIN_GC_GRACE_MS } from '../../domain/mail/blob-gc.ts';
import { dkimDnsRecord, listDkimKeys } from '../../domain/mail/dkim.ts';
import { deleteDraft, getDraft, listDrafts, saveDraft } from '../../domain/mail/drafts.ts';
import { getExport, listExports, openExportResult, startExport } from '../../domain/mail/export.ts';
import { fetchRemoteImage } from '../../domain/mail/image-proxy.ts';
import { readMessageBody } from '../../domain/mail/message-body.ts';
import { getReceipts, openMessage, recallMessage } from '../../domain/mail/receipts.ts';
import { sanitizeMailHtml } from '../../domain/mail/sanitize-html.ts';
import { sendMessage } from '../../domain/mail/send.ts';
import type { MailServices } from '../../domain/mail/services.ts';
import {
  createFolder,
  createSystemFolders,
  deleteFolder,
  deleteMessages,
  getMessage,
  getQuota,
  getThread,
  listFolders,
  listMessages,
  moveMessages,
  renameFolder,
  searchMessages,
  setFlags,
} from '../../domain/mail/store/index.ts';
import { createUpload } from '../../domain/mail/uploads.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';

const id = z.string().max(64);
const idParams = z.object({ id });
const mailbox = z.union([
  z.string().max(1024),
  z.strictObject({ name: z.string().max(256).nullable().optional(), address: z.string().max(320) }),
]);
const recipients = z.array(mailbox).max(400).nullable().optional();
const attachmentRef = z.strictObject({
  uploadId: id.nullable().optional(),
  messageId: id.nullable().optional(),
  partId: z.string().max(64).nullable().optional(),
  cid: z.string().max(100).nullable().optional(),
});
const composeBody = z.strictObject({
  to: recipients,
  cc: recipients,
  bcc: recipients,
  subject: z.string().max(4000).nullable().optional(),
  text: z
    .string()
    .max(4 * 1024 * 1024)
    .nullable()
    .optional(),
  html: z
    .string()
    .max(4 * 1024 * 1024)
    .nullable()
    .optional(),
  attachments: z.array(attachmentRef).max(100).nullable().optional(),
  inReplyTo: id.nullable().optional(),
  forwardOf: id.nullable().optional(),
});
const idsBody = z.strictObject({ ids: z.array(id).min(1).max(1000) });
const bool01 = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const address = z.object({ name: z.string(), address: z.string() });
const flags = z.object({
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  forwarded: z.boolean(),
  draft: z.boolean(),
});
const summary = z.object({
  id: z.string(),
  folderId: z.string(),
  threadId: z.string(),
  subject: z.string(),
  from: address.nullable(),
  to: z.array(address),
  sentAt: z.string().nullable(),
  receivedAt: z.string(),
  size: z.number(),
  hasAttachments: z.boolean(),
  excerpt: z.string(),
  flags,
  external: z.boolean(),
});
const folder = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  role: z.string().nullable(),
  name: z.string(),
  total: z.number(),
  unread: z.number(),
});
const exportView = z.object({
  id: z.string(),
  format: z.enum(['mbox', 'zip']),
  folderIds: z.array(z.string()).nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number(),
  done: z.number(),
  size: z.number().nullable(),
  errorCode: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string(),
});
const draftView = z.object({
  id: z.string(),
  version: z.number(),
  entryId: z.string().nullable(),
  updatedAt: z.string(),
  draft: z.record(z.string(), z.unknown()),
});

/** RFC 6266 / RFC 5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_').slice(0, 200) || 'download';
  const utf8 = encodeURIComponent(filename.slice(0, 255)).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** Serves a stream as a download that no browser will render or sniff. */
function download(
  reply: FastifyReply,
  stream: Readable,
  meta: { filename: string; contentType: string; size?: number | null; inline?: boolean },
) {
  reply
    .header('content-type', meta.contentType)
    .header('content-disposition', contentDisposition(meta.inline ? 'inline' : 'attachment', meta.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store');
  if (meta.size != null) reply.header('content-length', String(meta.size));
  return reply.send(stream);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
function summaryJson<T extends { sentAt: Date | null; receivedAt: Date }>(s: T) {
  return { ...s, sentAt: iso(s.sentAt), receivedAt: s.receivedAt.toISOString() };
}

/** The account behind a session route. */
const me = (ctx: HandlerContext<unknown, unknown, unknown>) => ctx.auth.session!.account.id;
const change = (ctx: HandlerContext<unknown, unknown, unknown>) => ({
  actor: ctx.auth.actor,
  now: ctx.now,
  ip: ctx.ip,
});

export function mailRoutes(deps: ServerDeps): AnyRoute[] {
  const { db } = deps;
  const mail = (): MailServices => {
    if (!deps.mail) throw new GongjikError('ERR_SERVER_UNAVAILABLE');
    return deps.mail;
  };
  const tags = ['mail'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/folders',
      summary: 'The account’s folders (system folders first) with totals and unread counts',
      tags,
      auth: 'session',
      response: z.object({ folders: z.array(folder) }),
      async handler(ctx) {
        await createSystemFolders(db, me(ctx), { now: ctx.now });
        return { folders: await listFolders(db, me(ctx)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/folders',
      summary: 'Create a folder (optionally inside another of the account’s folders)',
      tags,
      auth: 'session',
      status: 201,
      body: z.strictObject({ name: z.string().max(200), parentId: id.nullable().optional() }),
      response: folder,
      handler: (ctx) => createFolder(db, me(ctx), ctx.body, { now: ctx.now }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/folders/:id',
      summary: 'Rename a folder',
      tags,
      auth: 'session',
      params: idParams,
      body: z.strictObject({ name: z.string().max(200) }),
      response: folder,
      handler: (ctx) => renameFolder(db, me(ctx), ctx.params.id, ctx.body.name, { now: ctx.now }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/folders/:id',
      summary: 'Delete a user folder (its messages go to Trash)',
      tags,
      auth: 'session',
      params: idParams,
      handler: (ctx) => deleteFolder(db, me(ctx), ctx.params.id, { now: ctx.now }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/folders/:id/messages',
      summary: 'A folder’s messages, newest first, by cursor',
      tags,
      auth: 'session',
      params: idParams,
      query: z.object({
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
        unread: bool01.optional(),
      }),
      response: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }),
      async handler(ctx) {
        const page = await listMessages(db, me(ctx), ctx.params.id, {
          cursor: ctx.query.cursor,
          limit: ctx.query.limit,
          unreadOnly: ctx.query.unread,
        });
        return { items: page.items.map(summaryJson), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/messages/:id',
      summary:
        'Open a message: headers, text, server-sanitized HTML, attachments, verdicts (records the read receipt)',
      description:
        'Remote images are removed (and counted in `blockedRemote`) unless `images=1`; then they load through `/api/v1/proxy/image`. `cid:` images point at the attachment URLs.',
      tags,
      auth: 'session',
      params: idParams,
      query: z.object({ images: bool01.optional() }),
      async handler(ctx) {
        const accountId = me(ctx);
        const m = await openMessage(db, accountId, ctx.params.id, ctx.now);
        const body = await readMessageBody(await mail().blobs.open(m.rawSha256));
        const base = `/api/v1/messages/${m.id}/attachments/`;
        const cidUrls: Record<string, string> = {};
        for (const a of m.attachments)
          if (a.contentId) cidUrls[a.contentId] = base + encodeURIComponent(a.partId);
        let html: { html: string; blockedRemote: number; remoteUrls: readonly string[] } | null = null;
        let htmlError: string | null = null;
        if (body.html) {
          try {
            html = sanitizeMailHtml(body.html, {
              cidUrls,
              allowRemoteImages: ctx.query.images === true,
              proxy: (url) => `/api/v1/proxy/image?url=${encodeURIComponent(url)}`,
            });
          } catch (err) {
            htmlError = err instanceof GongjikError ? err.code : 'ERR_SERVER_INTERNAL';
          }
        }
        ctx.reply.header('cache-control', 'private, no-store');
        return {
          ...summaryJson(m),
          messageId: m.headerMessageId,
          inReplyTo: m.inReplyTo,
          cc: m.cc,
          // Bcc is shown only on the sender's own copies (Sent, Drafts): a recipient's copy has none.
          bcc: m.bcc,
          replyTo: m.replyTo,
          text: body.text,
          html: html?.html ?? null,
          htmlError,
          blockedRemote: html?.blockedRemote ?? 0,
          attachments: m.attachments.map((a) => ({
            partId: a.partId,
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
            contentId: a.contentId,
            inline: a.inline,
            url: base + encodeURIComponent(a.partId),
          })),
          auth: m.auth,
          externalSender: m.external,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/messages/:id/raw',
      summary: 'The message as received (RFC 5322), as a download',
      tags,
      auth: 'session',
      params: idParams,
      async handler(ctx) {
        const m = await getMessage(db, me(ctx), ctx.params.id);
        return download(ctx.reply, await mail().blobs.open(m.rawSha256), {
          filename: `${m.id}.eml`,
          contentType: 'message/rfc822',
          size: m.size,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/messages/:id/attachments/:partId',
      summary: 'One attachment of a message, streamed (never rendered by the browser)',
      tags,
      auth: 'session',
      params: z.object({ id, partId: z.string().max(64) }),
      async handler(ctx) {
        const m = await getMessage(db, me(ctx), ctx.params.id);
        const a = m.attachments.find((x) => x.partId === ctx.params.partId);
        if (!a) throw new GongjikError('ERR_MAIL_ATTACHMENT_NOT_FOUND');
        const image = /^image\/(png|gif|jpeg|webp)$/.test(a.contentType);
        return download(ctx.reply, await mail().blobs.open(a.sha256), {
          filename: a.filename ?? `part-${a.partId}`,
          // Only raster images keep their type (for inline display); everything else is opaque.
          contentType: image ? a.contentType : 'application/octet-stream',
          size: a.size,
          inline: image,
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/uploads',
      summary:
        'Upload an attachment (raw body, Content-Type: application/octet-stream), streamed to the blob store',
      description:
        'The file name goes in `?filename=`, its media type in `?type=`. Size-limited while streaming.',
      tags,
      auth: 'session',
      status: 201,
      query: z.object({ filename: z.string().min(1).max(255), type: z.string().max(255).optional() }),
      async handler(ctx) {
        const body = ctx.request.body as AsyncIterable<Uint8Array> | undefined;
        if (
          !body ||
          typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function'
        ) {
          throw new GongjikError('ERR_MAIL_UPLOAD_INVALID', { reason: 'content-type' });
        }
        return createUpload(db, mail(), me(ctx), body, {
          filename: ctx.query.filename,
          contentType: ctx.query.type,
          now: ctx.now,
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/messages',
      summary: 'Send a message: internal recipients at once, external ones through the outbound queue',
      tags,
      auth: 'session',
      status: 201,
      body: composeBody.extend({ draftId: id.nullable().optional() }),
      handler: (ctx) => sendMessage(db, mail(), me(ctx), ctx.body, { now: ctx.now }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/drafts',
      summary: 'The account’s drafts, newest first',
      tags,
      auth: 'session',
      response: z.object({ drafts: z.array(draftView) }),
      handler: async (ctx) => ({ drafts: await listDrafts(db, me(ctx)) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/drafts',
      summary: 'Save a new draft',
      tags,
      auth: 'session',
      status: 201,
      body: composeBody,
      response: draftView,
      handler: (ctx) => saveDraft(db, mail(), me(ctx), null, ctx.body, { now: ctx.now }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/drafts/:id',
      summary: 'One draft',
      tags,
      auth: 'session',
      params: idParams,
      response: draftView,
      handler: (ctx) => getDraft(db, me(ctx), ctx.params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/drafts/:id',
      summary: 'Replace a draft (autosave); `version` refuses a lost update',
      tags,
      auth: 'session',
      params: idParams,
      body: composeBody.extend({ version: z.number().int().min(1).optional() }),
      response: draftView,
      handler: (ctx) => {
        const { version, ...draft } = ctx.body;
        return saveDraft(db, mail(), me(ctx), ctx.params.id, draft, {
          now: ctx.now,
          version: version ?? null,
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/drafts/:id',
      summary: 'Delete a draft',
      tags,
      auth: 'session',
      params: idParams,
      handler: async (ctx) => {
        await deleteDraft(db, me(ctx), ctx.params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/messages/move',
      summary: 'Move messages into one of the account’s folders',
      tags,
      auth: 'session',
      body: idsBody.extend({ folderId: id }),
      handler: (ctx) => moveMessages(db, me(ctx), ctx.body.ids, ctx.body.folderId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/messages/flags',
      summary: 'Set or clear flags (seen, flagged, answered, forwarded)',
      tags,
      auth: 'session',
      body: idsBody.extend({
        flags: z.strictObject({
          seen: z.boolean().optional(),
          flagged: z.boolean().optional(),
          answered: z.boolean().optional(),
          forwarded: z.boolean().optional(),
        }),
      }),
      handler: (ctx) => setFlags(db, me(ctx), ctx.body.ids, ctx.body.flags),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/messages/delete',
      summary: 'Delete messages: to Trash; those already in Trash are removed for good',
      tags,
      auth: 'session',
      body: idsBody,
      handler: (ctx) => deleteMessages(db, me(ctx), ctx.body.ids, { now: ctx.now }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/search',
      summary: 'Search the account’s mail (Korean bigrams; subject, people, body, attachment names)',
      tags,
      auth: 'session',
      query: z.object({
        q: z.string().max(256),
        folder: id.optional(),
        from: z.iso.datetime({ offset: true }).optional().describe('received at or after'),
        to: z.iso.datetime({ offset: true }).optional().describe('received before'),
        hasAttachment: bool01.optional(),
        unread: bool01.optional(),
        order: z.enum(['date', 'relevance']).optional(),
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
      async handler(ctx) {
        const q = ctx.query;
        const page = await searchMessages(db, me(ctx), {
          q: q.q,
          folderId: q.folder,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          hasAttachments: q.hasAttachment,
          unreadOnly: q.unread,
          order: q.order,
          cursor: q.cursor,
          limit: q.limit,
        });
        return { items: page.items.map(summaryJson), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/threads/:id',
      summary: 'The messages of one conversation, oldest first',
      tags,
      auth: 'session',
      params: idParams,
      handler: async (ctx) => ({ items: (await getThread(db, me(ctx), ctx.params.id)).map(summaryJson) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/messages/:id/receipts',
      summary:
        '수신확인: per recipient of a sent message, delivered / read-at / recalled (internal) or queued / sent / failed (external)',
      tags,
      auth: 'session',
      params: idParams,
      handler: async (ctx) => ({ recipients: await getReceipts(db, me(ctx), ctx.params.id) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/messages/:id/recall',
      summary: '발송취소: withdraw a sent internal message from every recipient who has not opened it',
      tags,
      auth: 'session',
      params: idParams,
      handler: (ctx) => recallMessage(db, me(ctx), ctx.params.id, change(ctx)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/exports',
      summary: 'Start an export of the mailbox (or of chosen folders) as mbox or a zip of .eml files',
      tags,
      auth: 'session',
      status: 202,
      body: z.strictObject({
        format: z.enum(['mbox', 'zip']),
        folderIds: z.array(id).max(1000).nullable().optional(),
      }),
      response: exportView,
      handler: (ctx) => startExport(db, mail(), me(ctx), ctx.body, change(ctx)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports',
      summary: 'The account’s exports, newest first',
      tags,
      auth: 'session',
      response: z.object({ exports: z.array(exportView) }),
      handler: async (ctx) => ({ exports: await listExports(db, me(ctx)) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/:id',
      summary: 'An export’s progress (messages done / total) and state: poll it for the progress bar',
      tags,
      auth: 'session',
      params: idParams,
      response: exportView,
      handler: (ctx) => getExport(db, me(ctx), ctx.params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/exports/:id/download',
      summary: 'Download a finished export',
      tags,
      auth: 'session',
      params: idParams,
      async handler(ctx) {
        const r = await openExportResult(db, mail(), me(ctx), ctx.params.id, ctx.now);
        return download(ctx.reply, r.stream, r);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/quota',
      summary: 'The account’s quota and usage',
      tags,
      auth: 'session',
      response: z.object({ quotaBytes: z.number(), usedBytes: z.number(), messages: z.number() }),
      async handler(ctx) {
        await createSystemFolders(db, me(ctx), { now: ctx.now });
        return (await getQuota(db, me(ctx)))!;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/proxy/image',
      summary:
        'Fetch a remote image for the reader (public addresses only, no redirects to private ones, size/time-limited)',
      tags,
      auth: 'session',
      query: z.object({ url: z.string().min(1).max(2048) }),
      async handler(ctx) {
        const img = await fetchRemoteImage(ctx.query.url, deps.imageProxy ?? {});
        ctx.reply
          .header('content-type', img.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "sandbox; default-src 'none'")
          .header('cache-control', 'private, max-age=3600');
        return ctx.reply.send(img.body);
      },
    }),
    // Administrators
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/mail/dkim',
      summary: 'The DKIM keys of the mail domains and the DNS TXT records to publish',
      tags: ['admin'],
      auth: 'admin',
      handler: async () => ({ records: (await listDkimKeys(db)).map(dkimDnsRecord) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/mail/gc',
      summary:
        'Blob garbage collection now: remove stored blobs no message, upload, outbound copy or export names (grace ≥ 1 h)',
      tags: ['admin'],
      auth: 'admin',
      body: z.strictObject({
        graceHours: z
          .number()
          .min(MIN_GC_GRACE_MS / 3_600_000)
          .max(24 * 365)
          .optional(),
        dryRun: z.boolean().optional(),
      }),
      async handler(ctx) {
        const result = await collectBlobGarbage(db, mail().blobs, {
          now: ctx.now,
          graceMs: ctx.body.graceHours !== undefined ? ctx.body.graceHours * 3_600_000 : DEFAULT_GC_GRACE_MS,
          dryRun: ctx.body.dryRun ?? false,
        });
        const c = change(ctx);
        await audit(db, {
          at: c.now,
          actor: c.actor,
          action: 'mail.blob-gc',
          target: 'blobs',
          outcome: 'success',
          details: { ...result },
          ip: c.ip,
        });
        return result;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/accounts/:accountId/exports',
      summary: 'Export an account’s mailbox for its owner (also after retirement, when they cannot sign in)',
      tags: ['admin'],
      auth: 'admin',
      status: 202,
      params: z.object({ accountId: id }),
      body: z.strictObject({
        format: z.enum(['mbox', 'zip']),
        folderIds: z.array(id).max(1000).nullable().optional(),
      }),
      response: exportView,
      handler: (ctx) => startExport(db, mail(), ctx.params.accountId, ctx.body, change(ctx)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/accounts/:accountId/exports/:id',
      summary: 'Progress of an account’s export',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ accountId: id, id }),
      response: exportView,
      handler: (ctx) => getExport(db, ctx.params.accountId, ctx.params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/accounts/:accountId/exports/:id/download',
      summary: 'Download an account’s finished export',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ accountId: id, id }),
      async handler(ctx) {
        const r = await openExportResult(db, mail(), ctx.params.accountId, ctx.params.id, ctx.now);
        return download(ctx.reply, r.stream, r);
      },
    }),
  ];
}
