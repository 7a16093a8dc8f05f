// Attachment uploads: the bytes stream into the blob store (size-limited while streaming); the row
// makes the upload the account's own. A message or a draft names uploads by id; another account's
// upload id is "not found", like a missing one.
import type { MailUpload } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';
import { safeContentType, validateFilename } from './compose.ts';
import type { MailServices } from './services.ts';
import { isUuid } from './store/folders.ts';

export interface UploadView {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly expiresAt: string;
}

export const uploadView = (u: MailUpload): UploadView => ({
  id: u.id,
  filename: u.filename,
  contentType: u.content_type,
  size: u.size,
  expiresAt: u.expires_at.toISOString(),
});

/**
 * Streams an upload into the blob store. Refuses more than `maxUploadBytes` with
 * ERR_MAIL_ATTACHMENT_TOO_LARGE as soon as the stream passes it (nothing is kept).
 */
export async function createUpload(
  db: Db,
  mail: MailServices,
  accountId: string,
  body: AsyncIterable<Uint8Array>,
  meta: { filename: unknown; contentType: unknown; now: Date },
): Promise<UploadView> {
  const filename = validateFilename(meta.filename);
  const contentType = safeContentType(meta.contentType);
  const maxBytes = mail.settings.maxUploadBytes;
  const writer = mail.blobs.createWriter({ maxBytes });
  let ref: { sha256: string; size: number };
  try {
    for await (const chunk of body) {
      if (writer.bytes + chunk.length > maxBytes)
        throw new GongjikError('ERR_MAIL_ATTACHMENT_TOO_LARGE', { maxBytes });
      await writer.write(chunk);
    }
    ref = await writer.finish();
  } catch (err) {
    await writer.abort();
    if (err instanceof GongjikError && err.code === 'ERR_MAIL_MESSAGE_TOO_LARGE')
      throw new GongjikError('ERR_MAIL_ATTACHMENT_TOO_LARGE', { maxBytes });
    throw err;
  }
  const row = await db
    .insertInto('mail_uploads')
    .values({
      account_id: accountId,
      sha256: ref.sha256,
      size: ref.size,
      filename,
      content_type: contentType,
      created_at: meta.now,
      expires_at: new Date(meta.now.getTime() + mail.settings.uploadTtlMs),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return uploadView(row);
}

/** The account's uploads with these ids, in the given order; ERR_MAIL_ATTACHMENT_NOT_FOUND if any is missing. */
export async function ownUploads(db: Db, accountId: string, ids: readonly string[]): Promise<MailUpload[]> {
  if (ids.length === 0) return [];
  if (ids.some((id) => !isUuid(id))) throw new GongjikError('ERR_MAIL_ATTACHMENT_NOT_FOUND');
  const rows = await db
    .selectFrom('mail_uploads')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .where('account_id', '=', accountId)
    .execute();
  return ids.map((id) => {
    const r = rows.find((x) => x.id === id);
    if (!r) throw new GongjikError('ERR_MAIL_ATTACHMENT_NOT_FOUND');
    return r;
  });
}

/** Keeps uploads alive while a draft names them. */
export async function extendUploads(db: Db, ids: readonly string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('mail_uploads')
    .set({ expires_at: until })
    .where('id', 'in', ids)
    .where('expires_at', '<', until)
    .execute();
}

/** Forgets expired uploads (their blobs go with the blob garbage collector). */
export async function pruneUploads(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('mail_uploads').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
