// Filesystem blob store: <root>/<first two hex digits>/<sha256>. A write goes to <root>/tmp/<random>
// (hashed while streaming), is fsynced, renamed to its digest name (or dropped when that blob already
// exists: dedupe), and the directory is fsynced — only then does finish() resolve. Directory fsyncs
// of concurrent writers are coalesced (one fsync covers every rename that happened before it).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { GongjikError } from '@gongjik/errors';
import type { BlobEntry, BlobRef, BlobStore, BlobWriter } from './blob-store.ts';
import { SHA256_HEX } from './blob-store.ts';

/** Temporary files older than this are left by a crashed process (init removes them). */
const STALE_TMP_MS = 3_600_000;
/** Writes are gathered into buffers of this size before a write(2). */
const WRITE_BUFFER = 256 * 1024;
export const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;

export interface FsBlobStoreOptions {
  /** fsync files and directories (default true; false only for throwaway test stores) */
  readonly durable?: boolean;
}

export class FsBlobStore implements BlobStore {
  readonly root: string;
  readonly #durable: boolean;
  readonly #madeDirs = new Set<string>();
  readonly #dirSync = new Map<string, DirSync>();

  constructor(root: string, options: FsBlobStoreOptions = {}) {
    this.root = root;
    this.#durable = options.durable ?? true;
  }

  /**
   * Creates the directories and removes temporary files left by a crash. Only files older than an
   * hour: several server processes may share the store, and another one may be writing right now.
   */
  async init(): Promise<this> {
    await mkdir(join(this.root, 'tmp'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, 'gc'), { recursive: true, mode: 0o700 });
    await this.removeStaleTemporaryFiles(new Date(Date.now() - STALE_TMP_MS));
    return this;
  }

  async removeStaleTemporaryFiles(cutoff: Date): Promise<number> {
    let n = 0;
    for (const sub of ['tmp', 'gc']) {
      const dir = join(this.root, sub);
      for (const f of await readdir(dir).catch(() => [] as string[])) {
        const s = await stat(join(dir, f)).catch(() => null);
        // A file in gc/ is mid-sweep only for microseconds; one left there is from a crash.
        if (s && s.mtimeMs < cutoff.getTime() && (sub === 'tmp' || s.ctimeMs < cutoff.getTime())) {
          await rm(join(dir, f), { force: true });
          n++;
        }
      }
    }
    return n;
  }

  async *entries(): AsyncIterable<BlobEntry> {
    for (const dir of (await readdir(this.root)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const f of (await readdir(join(this.root, dir))).sort()) {
        if (!SHA256_HEX.test(f)) continue;
        const s = await stat(join(this.root, dir, f)).catch(() => null);
        if (s) yield { sha256: f, size: s.size, modifiedAt: new Date(s.mtimeMs) };
      }
    }
  }

  /**
   * Move aside, look again, then remove or put back. A deduplicated write touches the blob's mtime
   * (see commit): a touch before the move is seen here and the blob goes back; a touch after it
   * finds no file and the writer stores its own copy. Same content either way.
   */
  async deleteIfOlder(sha256: string, cutoff: Date): Promise<boolean> {
    const path = this.pathOf(sha256);
    const aside = join(this.root, 'gc', `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      await rename(path, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    const s = await stat(aside);
    if (s.mtimeMs < cutoff.getTime()) {
      await unlink(aside);
      return true;
    }
    // Written again meanwhile: put it back (unless the writer already made a new copy).
    let exists = false;
    try {
      await stat(path);
      exists = true;
    } catch {}
    if (exists) await unlink(aside);
    else await rename(aside, path);
    if (this.#durable) await this.syncDir(dirname(path));
    return false;
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new GongjikError('ERR_MAIL_BLOB_MISSING');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  createWriter(options: { maxBytes?: number } = {}): BlobWriter {
    return new FsBlobWriter(this, options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES);
  }

  async put(
    source: Uint8Array | AsyncIterable<Uint8Array>,
    options: { maxBytes?: number } = {},
  ): Promise<BlobRef> {
    const w = this.createWriter(options);
    try {
      if (source instanceof Uint8Array) await w.write(source);
      else for await (const chunk of source) await w.write(chunk);
      return await w.finish();
    } catch (err) {
      await w.abort();
      throw err;
    }
  }

  async open(sha256: string, range: { start?: number; end?: number } = {}): Promise<Readable> {
    const path = this.pathOf(sha256);
    const fh = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new GongjikError('ERR_MAIL_BLOB_MISSING', {}, { cause: err });
      throw err;
    });
    // The stream owns the FileHandle and closes it when done.
    return createReadStream('', { fd: fh, start: range.start, end: range.end, autoClose: true });
  }

  async stat(sha256: string): Promise<BlobRef | null> {
    try {
      const s = await stat(this.pathOf(sha256));
      return { sha256, size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const dir of (await readdir(this.root)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const f of (await readdir(join(this.root, dir))).sort()) if (SHA256_HEX.test(f)) yield f;
    }
  }

  /** @internal the final step of a write: name the temporary file by its digest, durably. */
  async commit(tmp: string, sha256: string): Promise<void> {
    const dir = join(this.root, sha256.slice(0, 2));
    if (!this.#madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (this.#durable) await this.syncDir(this.root);
      this.#madeDirs.add(dir);
    }
    const final = join(dir, sha256);
    // Deduplicated: the blob exists. Touch it, so that the garbage collector (which removes only
    // blobs untouched since before its run) keeps it for the row this write is about to commit.
    let exists = false;
    try {
      const t = new Date();
      await utimes(final, t, t);
      exists = true;
    } catch {}
    if (exists) await unlink(tmp);
    else await rename(tmp, final);
    // Even for an existing blob: its writer may not have synced the directory yet.
    if (this.#durable) await this.syncDir(dir);
  }

  get durable(): boolean {
    return this.#durable;
  }

  /** fsync of a directory, coalesced: callers during a running fsync share the next one. */
  syncDir(dir: string): Promise<void> {
    let s = this.#dirSync.get(dir);
    if (!s) {
      s = new DirSync(dir);
      this.#dirSync.set(dir, s);
    }
    return s.request();
  }
}

class DirSync {
  readonly #dir: string;
  #running: Promise<void> | null = null;
  #next: Promise<void> | null = null;

  constructor(dir: string) {
    this.#dir = dir;
  }

  request(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#sync().finally(() => {
        this.#running = null;
      });
      return this.#running;
    }
    if (!this.#next) {
      this.#next = this.#running.then(
        () => this.#startNext(),
        () => this.#startNext(),
      );
    }
    return this.#next;
  }

  #startNext(): Promise<void> {
    this.#next = null;
    return this.request();
  }

  async #sync(): Promise<void> {
    const fh = await open(this.#dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

class FsBlobWriter implements BlobWriter {
  readonly #store: FsBlobStore;
  readonly #maxBytes: number;
  readonly #hash = createHash('sha256');
  readonly #tmp: string;
  #fh: Promise<FileHandle> | null = null;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #bytes = 0;
  #done = false;

  constructor(store: FsBlobStore, maxBytes: number) {
    this.#store = store;
    this.#maxBytes = maxBytes;
    this.#tmp = join(store.root, 'tmp', randomBytes(12).toString('hex'));
  }

  get bytes(): number {
    return this.#bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#done) throw new Error('blob writer already finished');
    if (this.#bytes + chunk.length > this.#maxBytes) {
      await this.abort();
      throw new GongjikError('ERR_MAIL_MESSAGE_TOO_LARGE', { maxBytes: this.#maxBytes });
    }
    this.#bytes += chunk.length;
    this.#hash.update(chunk);
    // Copy: the caller may reuse its buffer once we return.
    this.#pending.push(Buffer.from(chunk));
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= WRITE_BUFFER) await this.#flush();
  }

  #file(): Promise<FileHandle> {
    this.#fh ??= open(this.#tmp, 'wx', 0o600);
    return this.#fh;
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const data = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    const fh = await this.#file();
    let off = 0;
    while (off < data.length) off += (await fh.write(data, off)).bytesWritten;
  }

  async finish(): Promise<BlobRef> {
    if (this.#done) throw new Error('blob writer already finished');
    this.#done = true;
    try {
      await this.#flush();
      const fh = await this.#file();
      if (this.#store.durable) await fh.datasync();
      await fh.close();
      const sha256 = this.#hash.digest('hex');
      await this.#store.commit(this.#tmp, sha256);
      return { sha256, size: this.#bytes };
    } catch (err) {
      await rm(this.#tmp, { force: true });
      throw err;
    }
  }

  async abort(): Promise<void> {
    this.#done = true;
    this.#pending = [];
    const fh = this.#fh;
    this.#fh = null;
    if (fh) await (await fh.catch(() => null))?.close().catch(() => {});
    await rm(this.#tmp, { force: true });
  }
}

/** Opens the filesystem blob store under `<dataDir>/blobs`. */
export function openFsBlobStore(dir: string, options: FsBlobStoreOptions = {}): Promise<FsBlobStore> {
  return new FsBlobStore(dir, options).init();
}
