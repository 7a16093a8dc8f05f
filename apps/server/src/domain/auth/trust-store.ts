// The trust configuration of certificate login: ONE long-lived kpki Validator per server process,
// built from a trust directory (GONGJIK_TRUST_DIR, default <data-dir>/trust) holding root and CA
// certificates (*.cer, *.crt, *.der, *.pem) and CRLs (*.crl). Self-signed CA certificates become
// trust anchors, the others intermediates. The directory is read again when a CRL's nextUpdate has
// passed or, at most every `checkEveryMs`, when its files changed (name, size, mtime); then a new
// validator replaces the old one. Revocation is 'require': a certificate without a valid CRL from
// its issuer is refused.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createValidator, parseCertificateForValidation, parseCrl, type Validator } from '@gongjik/kpki';
import { nodeCrypto } from '@gongjik/kpki/node';

const CERT_EXTENSIONS = new Set(['.cer', '.crt', '.der', '.pem']);
const MAX_FILES = 500;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface TrustSnapshot {
  readonly anchors: number;
  readonly intermediates: number;
  readonly crls: number;
  /** files that could not be read as what their extension says (ignored) */
  readonly ignored: readonly string[];
  /** the earliest CRL nextUpdate: the directory is re-read once it has passed */
  readonly earliestNextUpdate: Date | null;
  readonly loadedAt: Date;
}

export interface TrustStore {
  readonly dir: string;
  /** The current validator, re-reading the directory first when it is due (see above). */
  validator(now: Date): Promise<Validator>;
  /** Re-reads the directory now (after `gongjik ca crl`, say); returns what was loaded. */
  refresh(now: Date): Promise<TrustSnapshot>;
  readonly snapshot: TrustSnapshot | null;
}

export interface TrustStoreOptions {
  readonly dir: string;
  /** how often, at most, the files are checked for changes (default 10 s; 0: on every call) */
  readonly checkEveryMs?: number;
}

interface Loaded {
  readonly validator: Validator;
  readonly snapshot: TrustSnapshot;
  readonly signature: string;
}

/** PEM → DER for certificates; DER passes through. */
export function derOf(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x2d) return bytes;
  const text = new TextDecoder('latin1').decode(bytes);
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(text);
  return m ? new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : bytes;
}

export async function listFiles(dir: string): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  const out: { path: string; size: number; mtimeMs: number }[] = [];
  const walk = async (d: string, depth: number) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 2) await walk(p, depth + 1);
      else if (e.isFile()) {
        const ext = extname(e.name).toLowerCase();
        if (ext !== '.crl' && !CERT_EXTENSIONS.has(ext)) continue;
        const s = await stat(p);
        if (s.size <= MAX_FILE_BYTES) out.push({ path: p, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dir, 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

const signatureOf = (files: { path: string; size: number; mtimeMs: number }[]) =>
  files.map((f) => `${f.path}\u0000${f.size}\u0000${f.mtimeMs}`).join('\n');

async function load(dir: string, now: Date): Promise<Loaded> {
  const files = await listFiles(dir);
  const anchors: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const ignored: string[] = [];
  let earliest: number | null = null;
  for (const f of files) {
    const bytes = derOf(new Uint8Array(await readFile(f.path)));
    try {
      if (extname(f.path).toLowerCase() === '.crl') {
        const crl = parseCrl(bytes);
        crls.push(bytes);
        if (crl.nextUpdate) earliest = Math.min(earliest ?? Infinity, crl.nextUpdate.getTime());
      } else {
        const cert = parseCertificateForValidation(bytes);
        if (!cert.basicConstraints?.cA) {
          ignored.push(f.path);
          continue;
        }
        (cert.selfIssued ? anchors : intermediates).push(bytes);
      }
    } catch {
      ignored.push(f.path);
    }
  }
  const validator = createValidator({
    anchors,
    intermediates,
    crls,
    revocation: 'require',
    crypto: nodeCrypto,
  });
  return {
    validator,
    signature: signatureOf(files),
    snapshot: {
      anchors: anchors.length,
      intermediates: intermediates.length,
      crls: crls.length,
      ignored,
      earliestNextUpdate: earliest === null ? null : new Date(earliest),
      loadedAt: now,
    },
  };
}

export function createTrustStore(options: TrustStoreOptions): TrustStore {
  const checkEveryMs = options.checkEveryMs ?? 10_000;
  let current: Loaded | null = null;
  let lastCheck = 0;
  let pending: Promise<Loaded> | null = null;

  const check = async (now: Date, force: boolean): Promise<Loaded> => {
    try {
      if (!force && current) {
        const files = await listFiles(options.dir);
        const due =
          current.snapshot.earliestNextUpdate !== null &&
          now.getTime() >= current.snapshot.earliestNextUpdate.getTime();
        if (signatureOf(files) === current.signature && !due) return current;
      }
      current = await load(options.dir, now);
      return current;
    } finally {
      lastCheck = now.getTime();
    }
  };
  /** One check at a time; a forced reload waits for a running check, then loads. */
  const reload = async (now: Date, force: boolean): Promise<Loaded> => {
    if (pending) {
      const running = await pending.catch(() => null);
      if (!force && running) return running;
    }
    const p = check(now, force);
    pending = p;
    try {
      return await p;
    } finally {
      if (pending === p) pending = null;
    }
  };

  return {
    dir: options.dir,
    get snapshot() {
      return current?.snapshot ?? null;
    },
    async validator(now) {
      if (!current) return (await reload(now, true)).validator;
      const t = now.getTime();
      const next = current.snapshot.earliestNextUpdate;
      // A CRL went stale: re-read before answering (rare). Files changed: checked in the background.
      if (next !== null && t >= next.getTime() && t - lastCheck >= 1000) {
        return (await reload(now, false)).validator;
      }
      if (t - lastCheck >= checkEveryMs || t < lastCheck) {
        if (checkEveryMs === 0) return (await reload(now, false)).validator;
        if (!pending) void reload(now, false).catch(() => {});
      }
      return current.validator;
    },
    async refresh(now) {
      return (await reload(now, true)).snapshot;
    },
  };
}
