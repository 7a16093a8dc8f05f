// Blob garbage collection: removes blobs no row names any more. Blobs are content-addressed and
// shared (one attachment in many messages, one raw message for its Sent copy and its outbound
// rows), so nothing deletes them inline; this sweep does, later.
//
// Live = named by any of: mail_messages.raw_sha256, mail_messages.attachments[].sha256,
// mail_uploads.sha256, mail_outbound.raw_sha256, mail_exports.result_sha256.
//
// Safe against concurrent writers without a lock:
// - a blob written (or re-written by a deduplicated write, which touches its mtime) at or after
//   `now - grace` is never removed, so a delivery between "blob durable" and "row committed" keeps
//   its blob as long as that takes less than the grace period (default 24 h; minimum 1 h from the
//   CLI and API);
// - the digests are checked against the database AFTER the files were listed, and each removal is
//   move-aside / re-check / unlink (BlobStore.deleteIfOlder), so a deduplicated write racing the
//   sweep either keeps the old file or stores its own copy.
// Several processes may run it at once: the worst case is wasted work.
import { sql } from 'kysely';
import type { Db } from '../db.ts';
import type { BlobStore } from './blobs/blob-store.ts';

export const DEFAULT_GC_GRACE_MS = 24 * 3_600_000;
export const MIN_GC_GRACE_MS = 3_600_000;

export interface BlobGcOptions {
  readonly now: Date;
  /** blobs written within this long before `now` are kept whatever refers to them (default 24 h) */
  readonly graceMs?: number;
  /** only count what would be removed */
  readonly dryRun?: boolean;
  /** digests checked against the database per query (default 1000) */
  readonly batchSize?: number;
  /** tests: called with the unreferenced old digests of a batch, just before they are removed */
  readonly beforeSweep?: (digests: readonly string[]) => Promise<void>;
}

export interface BlobGcResult {
  /** blobs looked at */
  readonly scanned: number;
  /** kept because a row names them */
  readonly referenced: number;
  /** kept because they were written within the grace period */
  readonly recent: number;
  /** removed (or, with dryRun, that would be) */
  readonly removed: number;
  readonly removedBytes: number;
  /** leftover temporary files of unfinished writes removed */
  readonly temporaryFilesRemoved: number;
  readonly dryRun: boolean;
}

/** Which of these digests a row still names. */
export async function referencedDigests(db: Db, digests: readonly string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await sql<{ d: string }>`
    SELECT d FROM unnest(${digests}::text[]) AS d
    WHERE EXISTS (SELECT 1 FROM mail_messages WHERE raw_sha256 = d)
       OR EXISTS (SELECT 1 FROM mail_messages
                  WHERE attachments @> jsonb_build_array(jsonb_build_object('sha256', d)))
       OR EXISTS (SELECT 1 FROM mail_uploads WHERE sha256 = d)
       OR EXISTS (SELECT 1 FROM mail_outbound WHERE raw_sha256 = d)
       OR EXISTS (SELECT 1 FROM mail_exports WHERE result_sha256 = d)`.execute(db);
  return new Set(rows.rows.map((r) => r.d));
}

/** One garbage-collection pass over the whole blob store (mark by query, sweep by age). */
export async function collectBlobGarbage(
  db: Db,
  blobs: BlobStore,
  options: BlobGcOptions,
): Promise<BlobGcResult> {
  const graceMs = options.graceMs ?? DEFAULT_GC_GRACE_MS;
  const cutoff = new Date(options.now.getTime() - graceMs);
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const dryRun = options.dryRun ?? false;
  let scanned = 0;
  let referenced = 0;
  let recent = 0;
  let removed = 0;
  let removedBytes = 0;
  let batch: { sha256: string; size: number }[] = [];

  const sweep = async () => {
    const live = await referencedDigests(
      db,
      batch.map((b) => b.sha256),
    );
    referenced += live.size;
    const dead = batch.filter((b) => !live.has(b.sha256));
    batch = [];
    if (dead.length === 0) return;
    await options.beforeSweep?.(dead.map((b) => b.sha256));
    for (const b of dead) {
      if (dryRun || (await blobs.deleteIfOlder(b.sha256, cutoff))) {
        removed++;
        removedBytes += b.size;
      }
    }
  };

  for await (const e of blobs.entries()) {
    scanned++;
    if (e.modifiedAt.getTime() >= cutoff.getTime()) {
      recent++;
      continue;
    }
    batch.push({ sha256: e.sha256, size: e.size });
    if (batch.length >= batchSize) await sweep();
  }
  if (batch.length > 0) await sweep();
  const temporaryFilesRemoved = dryRun ? 0 : await blobs.removeStaleTemporaryFiles(cutoff);
  return { scanned, referenced, recent, removed, removedBytes, temporaryFilesRemoved, dryRun };
}
