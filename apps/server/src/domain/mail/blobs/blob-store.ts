// The blob store interface: content-addressed (SHA-256) immutable byte strings — raw messages and
// attachment contents. The filesystem implementation is fs-blob-store.ts; an S3-compatible one can
// implement the same interface (put = multipart upload to a temporary key + copy to the digest key).
import type { Readable } from 'node:stream';
import type { BlobRef } from '../store/types.ts';

export type { BlobRef };

export interface BlobWriter {
  /** Appends bytes; resolves when they may be reused. Throws ERR_MAIL_MESSAGE_TOO_LARGE past maxBytes. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the blob durable (written, fsynced, named by its digest) and returns its reference. */
  finish(): Promise<BlobRef>;
  /** Drops what was written. Safe to call more than once, and after a failure. */
  abort(): Promise<void>;
  /** bytes written so far */
  readonly bytes: number;
}

export interface BlobStore {
  /** A streamed write; the digest is known only at finish(). Identical content is stored once. */
  createWriter(options?: { maxBytes?: number }): BlobWriter;
  /** Writes a whole source (bytes or a stream) through createWriter. */
  put(source: Uint8Array | AsyncIterable<Uint8Array>, options?: { maxBytes?: number }): Promise<BlobRef>;
  /** A stream of the blob's bytes (optionally a range, inclusive `end`); ERR_MAIL_BLOB_MISSING if absent. */
  open(sha256: string, range?: { start?: number; end?: number }): Promise<Readable>;
  /** The blob's size, or null when absent. */
  stat(sha256: string): Promise<BlobRef | null>;
  /** Removes a blob (garbage collection only: the caller checked that nothing refers to it). */
  delete(sha256: string): Promise<void>;
  /** Every stored digest (for garbage collection). */
  list(): AsyncIterable<string>;
  /** Every stored blob with its size and the time it was last written or re-written (dedupe). */
  entries(): AsyncIterable<BlobEntry>;
  /**
   * Garbage collection: removes the blob unless it was written (or re-written by a deduplicated
   * write) at or after `cutoff`; true when removed. Safe against a concurrent writer of the same
   * content: either the writer's blob survives or the writer stores it anew.
   */
  deleteIfOlder(sha256: string, cutoff: Date): Promise<boolean>;
  /** Removes temporary files of unfinished writes started before `cutoff`; returns how many. */
  removeStaleTemporaryFiles(cutoff: Date): Promise<number>;
}

export interface BlobEntry {
  readonly sha256: string;
  readonly size: number;
  /** when the blob was last written (a deduplicated write counts as a write) */
  readonly modifiedAt: Date;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
