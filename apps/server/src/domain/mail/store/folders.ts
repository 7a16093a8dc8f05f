// Mail folders: the five system folders of every mailbox, user folders (nested, rename, delete).
import type { FolderRole, MailFolder } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import { type Db, inTransaction } from '../../db.ts';

/** The system folders, in display order, with their Korean names. */
export const SYSTEM_FOLDERS: readonly { role: FolderRole; name: string; en: string }[] = [
  { role: 'inbox', name: '받은편지함', en: 'Inbox' },
  { role: 'sent', name: '보낸편지함', en: 'Sent' },
  { role: 'drafts', name: '임시보관함', en: 'Drafts' },
  { role: 'spam', name: '스팸', en: 'Spam' },
  { role: 'trash', name: '휴지통', en: 'Trash' },
];

/** Default per-account quota when the caller does not say: 1 GiB. */
export const DEFAULT_QUOTA_BYTES = 1024 * 1024 * 1024;
export const MAX_FOLDER_DEPTH = 8;
export const MAX_FOLDER_NAME = 100;
export const MAX_FOLDERS_PER_ACCOUNT = 1000;

export interface FolderView {
  readonly id: string;
  readonly parentId: string | null;
  readonly role: FolderRole | null;
  readonly name: string;
  readonly total: number;
  readonly unread: number;
}

const view = (f: MailFolder): FolderView => ({
  id: f.id,
  parentId: f.parent_id,
  role: f.role,
  name: f.name,
  total: f.total_count,
  unread: f.unread_count,
});

/**
 * Creates the account's mailbox (quota row) and its five system folders, if missing. Idempotent:
 * safe to call on every delivery path and from account creation. Returns folder ids by role.
 */
export async function createSystemFolders(
  db: Db,
  accountId: string,
  options: { now: Date; quotaBytes?: number },
): Promise<Record<FolderRole, string>> {
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('mailboxes')
      .values({
        account_id: accountId,
        quota_bytes: options.quotaBytes ?? DEFAULT_QUOTA_BYTES,
        created_at: options.now,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    await trx
      .insertInto('mail_folders')
      .values(
        SYSTEM_FOLDERS.map((f) => ({
          account_id: accountId,
          parent_id: null,
          role: f.role,
          name: f.name,
          created_at: options.now,
          updated_at: options.now,
        })),
      )
      .onConflict((oc) => oc.columns(['account_id', 'role']).where('role', 'is not', null).doNothing())
      .execute();
    const rows = await trx
      .selectFrom('mail_folders')
      .select(['id', 'role'])
      .where('account_id', '=', accountId)
      .where('role', 'is not', null)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.role, r.id])) as Record<FolderRole, string>;
  });
}

/** The account's folders: system folders first (in SYSTEM_FOLDERS order), then user folders by name. */
export async function listFolders(db: Db, accountId: string): Promise<FolderView[]> {
  const rows = await db.selectFrom('mail_folders').selectAll().where('account_id', '=', accountId).execute();
  const order = (f: MailFolder) => (f.role ? SYSTEM_FOLDERS.findIndex((s) => s.role === f.role) : 99);
  return rows.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name, 'ko')).map(view);
}

/** One of the account's folders; another account's folder id is "not found". */
export async function getFolder(db: Db, accountId: string, folderId: string): Promise<FolderView> {
  return view(await folderRow(db, accountId, folderId));
}

export async function folderRow(db: Db, accountId: string, folderId: string): Promise<MailFolder> {
  if (!isUuid(folderId)) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
  const row = await db
    .selectFrom('mail_folders')
    .selectAll()
    .where('id', '=', folderId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
  return row;
}

/** The id of a system folder; creates the system folders when the mailbox has none yet. */
export async function folderIdByRole(
  db: Db,
  accountId: string,
  role: FolderRole,
  now: Date,
): Promise<string> {
  const row = await db
    .selectFrom('mail_folders')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', role)
    .executeTakeFirst();
  if (row) return row.id;
  return (await createSystemFolders(db, accountId, { now }))[role];
}

export function validateFolderName(name: unknown): string {
  if (typeof name !== 'string')
    throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'not-text' });
  const n = name.normalize('NFC');
  if (n.trim() === '') throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'empty' });
  if (n !== n.trim()) throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'outer-space' });
  if ([...n].length > MAX_FOLDER_NAME)
    throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'too-long' });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: controls are what we refuse
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029/\\]/.test(n))
    throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'forbidden-character' });
  return n;
}

async function depthOf(db: Db, folderId: string): Promise<number> {
  const r = await sql<{ depth: number }>`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 1 FROM mail_folders WHERE id = ${folderId}
      UNION ALL
      SELECT f.id, f.parent_id, up.depth + 1 FROM mail_folders f JOIN up ON f.id = up.parent_id WHERE up.depth < 64
    ) SELECT max(depth)::int AS depth FROM up`.execute(db);
  return r.rows[0]?.depth ?? 0;
}

async function assertNameFree(
  db: Db,
  accountId: string,
  parentId: string | null,
  name: string,
  except?: string,
) {
  let q = db
    .selectFrom('mail_folders')
    .select('id')
    .where('account_id', '=', accountId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
  if (except) q = q.where('id', '<>', except);
  if (await q.executeTakeFirst()) throw new GongjikError('ERR_MAIL_FOLDER_NAME_TAKEN');
}

/** Creates a user folder, at the top or under one of the account's folders. */
export async function createFolder(
  db: Db,
  accountId: string,
  input: { name: string; parentId?: string | null },
  ctx: { now: Date },
): Promise<FolderView> {
  const name = validateFolderName(input.name);
  return inTransaction(db, async (trx) => {
    // Serialise folder changes of one account (name checks, counts) on its mailbox row.
    await lockMailbox(trx, accountId, ctx.now);
    const parentId = input.parentId ?? null;
    if (parentId !== null) {
      const parent = await folderRow(trx, accountId, parentId);
      if (parent.role === 'trash') throw new GongjikError('ERR_MAIL_FOLDER_SYSTEM');
      if ((await depthOf(trx, parentId)) >= MAX_FOLDER_DEPTH)
        throw new GongjikError('ERR_MAIL_FOLDER_TOO_DEEP', { maxDepth: MAX_FOLDER_DEPTH });
    }
    const count = await trx
      .selectFrom('mail_folders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_FOLDERS_PER_ACCOUNT)
      throw new GongjikError('ERR_MAIL_FOLDER_NAME_INVALID', { reason: 'too-many-folders' });
    await assertNameFree(trx, accountId, parentId, name);
    const row = await trx
      .insertInto('mail_folders')
      .values({
        account_id: accountId,
        parent_id: parentId,
        role: null,
        name,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

/** Renames a user folder (system folders are refused with ERR_MAIL_FOLDER_SYSTEM). */
export async function renameFolder(
  db: Db,
  accountId: string,
  folderId: string,
  newName: string,
  ctx: { now: Date },
): Promise<FolderView> {
  const name = validateFolderName(newName);
  return inTransaction(db, async (trx) => {
    await lockMailbox(trx, accountId, ctx.now);
    const folder = await folderRow(trx, accountId, folderId);
    if (folder.role !== null) throw new GongjikError('ERR_MAIL_FOLDER_SYSTEM');
    await assertNameFree(trx, accountId, folder.parent_id, name, folder.id);
    const row = await trx
      .updateTable('mail_folders')
      .set({ name, updated_at: ctx.now })
      .where('id', '=', folder.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

/**
 * Deletes a user folder and its sub-folders; their messages move to Trash (nothing is lost).
 * System folders are refused with ERR_MAIL_FOLDER_SYSTEM.
 */
export async function deleteFolder(
  db: Db,
  accountId: string,
  folderId: string,
  ctx: { now: Date },
): Promise<{ deletedFolders: number; movedToTrash: number }> {
  return inTransaction(db, async (trx) => {
    await lockMailbox(trx, accountId, ctx.now);
    const folder = await folderRow(trx, accountId, folderId);
    if (folder.role !== null) throw new GongjikError('ERR_MAIL_FOLDER_SYSTEM');
    const trash = await folderIdByRole(trx, accountId, 'trash', ctx.now);
    const ids = (
      await sql<{ id: string }>`
        WITH RECURSIVE sub(id, depth) AS (
          SELECT id, 1 FROM mail_folders WHERE id = ${folder.id} AND account_id = ${accountId}
          UNION ALL
          SELECT f.id, sub.depth + 1 FROM mail_folders f JOIN sub ON f.parent_id = sub.id WHERE sub.depth < 64
        ) SELECT id FROM sub`.execute(trx)
    ).rows.map((r) => r.id);
    // A message already in Trash (same message) is not copied twice: that copy is dropped.
    await trx
      .deleteFrom('mail_entries as e')
      .where('e.folder_id', 'in', ids)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('mail_entries as t')
            .select('t.id')
            .where('t.folder_id', '=', trash)
            .whereRef('t.message_id', '=', 'e.message_id'),
        ),
      )
      .execute();
    const moved = await trx
      .updateTable('mail_entries')
      .set({ folder_id: trash, trashed_from: null })
      .where('folder_id', 'in', ids)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    await trx.deleteFrom('mail_folders').where('id', 'in', ids).execute();
    return { deletedFolders: ids.length, movedToTrash: Number(moved.numUpdatedRows) };
  });
}

/** Locks the account's mailbox row (creating the mailbox first if needed). */
export async function lockMailbox(trx: Db, accountId: string, now: Date) {
  let row = await trx
    .selectFrom('mailboxes')
    .selectAll()
    .where('account_id', '=', accountId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) {
    await createSystemFolders(trx, accountId, { now });
    row = await trx
      .selectFrom('mailboxes')
      .selectAll()
      .where('account_id', '=', accountId)
      .forUpdate()
      .executeTakeFirstOrThrow();
  }
  return row;
}

export const isUuid = (s: unknown): s is string =>
  typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
