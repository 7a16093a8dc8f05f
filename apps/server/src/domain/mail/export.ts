/**
 * Mailbox export (the pre-retirement backup, DESIGN flow 5): the whole mailbox or chosen folders,
 * as mboxrd or as a zip of .eml files in the folder tree.
 *
 * A request makes a job row (`mail_exports`); a worker (any process) claims it with
 * FOR UPDATE SKIP LOCKED and a lease, streams the messages one by one from their blobs into the
 * result (itself a blob), and writes progress (`done` / `total`) as it goes, for the web app's
 * progress bar. Nothing holds more than one message's stream and one page of 200 entry rows.
 *
 * Allowed for active accounts (also those whose retirement date is set: "retired-pending") and for
 * retired ones (the mailbox is read-only after retirement; a retired official cannot sign in, so
 * an administrator runs that export for them). Pending and locked accounts are refused.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { MailExport } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import yazl from 'yazl';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import type { BlobWriter } from './blobs/blob-store.ts';
import { emlName, MboxrdEscape, mboxFromLine, zipSegment } from './export-format.ts';
import type { MailServices } from './services.ts';
import { isUuid } from './store/folders.ts';

export type ExportFormat = 'mbox' | 'zip';

export interface ExportView {
  readonly id: string;
  readonly format: ExportFormat;
  readonly folderIds: readonly string[] | null;
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly total: number;
  readonly done: number;
  readonly size: number | null;
  readonly errorCode: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly expiresAt: string;
}

export const exportView = (r: MailExport): ExportView => ({
  id: r.id,
  format: r.format,
  folderIds: r.folder_ids,
  state: r.state,
  total: r.total,
  done: r.done,
  size: r.result_size,
  errorCode: r.error_code,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  expiresAt: r.expires_at.toISOString(),
});

const EXPORTABLE_STATES = new Set(['active', 'retired']);
const PAGE = 200;
const MAX_EXPORT_BYTES = 1024 ** 4; // 1 TiB: effectively the mailbox quota bounds it

/** Starts an export of the account's mailbox (or of the given folders). */
export async function startExport(
  db: Db,
  mail: MailServices,
  accountId: string,
  input: { format: ExportFormat; folderIds?: readonly string[] | null },
  ctx: ChangeContext,
): Promise<ExportView> {
  const view = await inTransaction(db, async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['id', 'state'])
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    if (!EXPORTABLE_STATES.has(account.state)) throw new GongjikError('ERR_MAIL_EXPORT_NOT_ALLOWED');
    const folderIds = input.folderIds?.length ? [...new Set(input.folderIds)] : null;
    if (folderIds) {
      if (folderIds.some((id) => !isUuid(id))) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
      const own = await trx
        .selectFrom('mail_folders')
        .select('id')
        .where('account_id', '=', accountId)
        .where('id', 'in', folderIds)
        .execute();
      if (own.length !== folderIds.length) throw new GongjikError('ERR_MAIL_FOLDER_NOT_FOUND');
    }
    const busy = await trx
      .selectFrom('mail_exports')
      .select('id')
      .where('account_id', '=', accountId)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (busy) throw new GongjikError('ERR_MAIL_EXPORT_BUSY');
    let count = trx
      .selectFrom('mail_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('account_id', '=', accountId);
    if (folderIds) count = count.where('folder_id', 'in', folderIds);
    const total = (await count.executeTakeFirstOrThrow()).n;
    const row = await trx
      .insertInto('mail_exports')
      .values({
        account_id: accountId,
        format: input.format,
        folder_ids: folderIds,
        state: 'queued',
        total,
        requested_by: ctx.actor,
        created_at: ctx.now,
        updated_at: ctx.now,
        expires_at: new Date(ctx.now.getTime() + mail.settings.exportTtlMs),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mail.export.start',
      target: `account:${accountId}`,
      details: { exportId: row.id, format: input.format, folders: folderIds?.length ?? 'all', total },
      ip: ctx.ip,
    });
    return exportView(row);
  });
  mail.kickExports();
  return view;
}

/** One of the account's exports; another account's id is "not found". */
export async function getExport(db: Db, accountId: string, exportId: string): Promise<ExportView> {
  return exportView(await exportRow(db, accountId, exportId));
}

async function exportRow(db: Db, accountId: string, exportId: string): Promise<MailExport> {
  if (!isUuid(exportId)) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  const r = await db
    .selectFrom('mail_exports')
    .selectAll()
    .where('id', '=', exportId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!r) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  return r;
}

export async function listExports(db: Db, accountId: string): Promise<ExportView[]> {
  const rows = await db
    .selectFrom('mail_exports')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map(exportView);
}

/** The finished file of an export, to stream to the user. */
export async function openExportResult(
  db: Db,
  mail: MailServices,
  accountId: string,
  exportId: string,
  now: Date,
): Promise<{ stream: Readable; size: number; filename: string; contentType: string }> {
  const r = await exportRow(db, accountId, exportId);
  if (r.state !== 'done' || !r.result_sha256)
    throw new GongjikError('ERR_MAIL_EXPORT_NOT_READY', { state: r.state });
  if (r.expires_at <= now) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  const day = r.created_at.toISOString().slice(0, 10);
  return {
    stream: await mail.blobs.open(r.result_sha256),
    size: r.result_size ?? 0,
    filename: `mailbox-${day}.${r.format === 'mbox' ? 'mbox' : 'zip'}`,
    contentType: r.format === 'mbox' ? 'application/mbox' : 'application/zip',
  };
}

interface EntryRow {
  id: string;
  folder_id: string;
  received_at: Date;
  raw_sha256: string;
  subject: string;
  from_address: string | null;
}

/** Folder id → its path in the zip (`받은편지함`, `프로젝트/2026`). */
async function folderPaths(db: Db, accountId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('mail_folders')
    .select(['id', 'parent_id', 'name'])
    .where('account_id', '=', accountId)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const paths = new Map<string, string>();
  for (const r of rows) {
    const parts: string[] = [];
    let cur: typeof r | undefined = r;
    for (let depth = 0; cur && depth < 16; depth++) {
      parts.unshift(zipSegment(cur.name));
      cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
    }
    paths.set(r.id, parts.join('/'));
  }
  return paths;
}

/** The account's entries to export, folder by folder, oldest first, a page at a time. */
async function* entries(db: Db, job: MailExport): AsyncGenerator<EntryRow> {
  let after: { folder: string; at: Date; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom('mail_entries as e')
      .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
      .select(['e.id', 'e.folder_id', 'e.received_at', 'm.raw_sha256', 'm.subject', 'm.from_address'])
      .where('e.account_id', '=', job.account_id);
    if (job.folder_ids) q = q.where('e.folder_id', 'in', job.folder_ids);
    if (after) {
      const a: { folder: string; at: Date; id: string } = after;
      q = q.where(
        sql<boolean>`(e.folder_id, e.received_at, e.id) > (${a.folder}::uuid, ${a.at}, ${a.id}::uuid)`,
      );
    }
    const rows = await q
      .orderBy('e.folder_id')
      .orderBy('e.received_at')
      .orderBy('e.id')
      .limit(PAGE)
      .execute();
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { folder: last.folder_id, at: last.received_at, id: last.id };
  }
}

/** Claims one due export job for this worker (queued, or running with a lapsed lease). */
export async function claimExport(
  db: Db,
  options: { now: Date; leaseMs: number },
): Promise<{ job: MailExport; token: string } | null> {
  const token = randomBytes(16).toString('hex');
  const { now } = options;
  return inTransaction(db, async (trx) => {
    const due = await trx
      .selectFrom('mail_exports')
      .select('id')
      .where('state', 'in', ['queued', 'running'])
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('created_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!due) return null;
    const job = await trx
      .updateTable('mail_exports')
      .set({
        state: 'running',
        claim_token: token,
        claimed_until: new Date(now.getTime() + options.leaseMs),
        attempts: sql`attempts + 1`,
        done: 0,
        updated_at: now,
      })
      .where('id', '=', due.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { job, token };
  });
}

export interface ExportRunDeps {
  readonly db: Db;
  readonly mail: MailServices;
  readonly now: () => Date;
  readonly leaseMs: number;
  /** progress is written at most every this many messages */
  readonly progressEvery?: number;
}

/** Writes chunks into the blob writer (awaiting each write: back-pressure). */
async function drainInto(source: AsyncIterable<Buffer>, writer: BlobWriter): Promise<void> {
  for await (const chunk of source) await writer.write(chunk);
}

/**
 * Runs one claimed export to its end. On failure the job is marked failed with the error's code
 * (an export is repeatable: the user starts another).
 */
export async function runExport(deps: ExportRunDeps, job: MailExport, token: string): Promise<ExportView> {
  const { db, mail } = deps;
  const every = deps.progressEvery ?? 50;
  const writer = mail.blobs.createWriter({ maxBytes: MAX_EXPORT_BYTES });
  let done = 0;
  const progress = async () => {
    const now = deps.now();
    const r = await db
      .updateTable('mail_exports')
      .set({ done, updated_at: now, claimed_until: new Date(now.getTime() + deps.leaseMs) })
      .where('id', '=', job.id)
      .where('claim_token', '=', token)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new GongjikError('ERR_MAIL_EXPORT_BUSY');
  };
  try {
    if (job.format === 'mbox') {
      for await (const e of entries(db, job)) {
        await writer.write(Buffer.from(mboxFromLine(e.from_address, e.received_at)));
        await drainInto((await mail.blobs.open(e.raw_sha256)).pipe(new MboxrdEscape()), writer);
        done++;
        if (done % every === 0) await progress();
      }
    } else {
      const zip = new yazl.ZipFile();
      const output = drainInto(zip.outputStream as unknown as AsyncIterable<Buffer>, writer);
      output.catch(() => {});
      const paths = await folderPaths(db, job.account_id);
      const counters = new Map<string, number>();
      for await (const e of entries(db, job)) {
        const folder = paths.get(e.folder_id) ?? '_';
        const n = (counters.get(folder) ?? 0) + 1;
        counters.set(folder, n);
        const stream = await mail.blobs.open(e.raw_sha256);
        const ended = once(stream, 'end');
        zip.addReadStream(stream, `${folder}/${emlName(e.received_at, e.subject, n)}`, {
          mtime: e.received_at,
          compress: true,
        });
        // One message at a time: wait until yazl has read this one before opening the next.
        await Promise.race([ended, output]);
        done++;
        if (done % every === 0) await progress();
      }
      zip.end();
      await output;
    }
    const ref = await writer.finish();
    const now = deps.now();
    const row = await db
      .updateTable('mail_exports')
      .set({
        state: 'done',
        done,
        total: Math.max(done, job.total),
        result_sha256: ref.sha256,
        result_size: ref.size,
        claim_token: null,
        claimed_until: null,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', job.id)
      .where('claim_token', '=', token)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new GongjikError('ERR_MAIL_EXPORT_BUSY');
    return exportView(row);
  } catch (err) {
    await writer.abort();
    const code = err instanceof GongjikError ? err.code : 'ERR_SERVER_INTERNAL';
    const now = deps.now();
    const row = await db
      .updateTable('mail_exports')
      .set({
        state: 'failed',
        error_code: code,
        claim_token: null,
        claimed_until: null,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', job.id)
      .where('claim_token', '=', token)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw err;
    return exportView(row);
  }
}

/** Runs every due export, one after the other. */
export async function drainExports(deps: ExportRunDeps): Promise<ExportView[]> {
  const out: ExportView[] = [];
  for (;;) {
    const claimed = await claimExport(deps.db, { now: deps.now(), leaseMs: deps.leaseMs });
    if (!claimed) return out;
    out.push(await runExport(deps, claimed.job, claimed.token));
  }
}
