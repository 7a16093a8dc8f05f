// Filesystem blob store: <root>/<first two hex digits>/<sha256>. A write goes to <root>/tmp/<random>
// (hashed while streaming), is fsynced, renamed to its digest name (or dropped when that blob already
// exists: dedupe), and the directory is fsynced — only then does finish() resolve. Directory fsyncs
// of concurrent writers are coalesced (one fsync covers every rename that happened before it).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GongjikError } from '@gongjik/errors';
import type { BlobRef, BlobStore, BlobWriter } from './blob-store.ts';
import { SHA256_HEX } from './blob-store.ts';

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

  /** Creates the directories and removes temporary files left by a crash. */
  async init(): Promise<this> {
    await mkdir(join(this.root, 'tmp'), { recursive: true, mode: 0o700 });
    for (const f of await readdir(join(this.root, 'tmp')))
      await rm(join(this.root, 'tmp', f), { force: true });
    return this;
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
    let exists = false;
    try {
      await stat(final);
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
