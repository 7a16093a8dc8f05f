// The development CA on disk (Node only; reach it through @gongjik/kpki/node).
//
//   D/index.json                 state: authorities, CRL numbers, every issued serial and its status
//   D/gpki/<CA>.cer, <CA>.crl    GPKI root, CA131100001, the EPKI CA (DER)
//   D/npki/<CA>.cer, <CA>.crl    the yessign-like hierarchy (DER)
//   D/private/<authority>.key    PKCS#8 PEM, unencrypted, mode 0600 in a 0700 folder
//
// Every file says, or sits beside a file that says, DEV ONLY.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import type { BundleFile, UserBundle } from './bundle.ts';
import { type CaClock, createDevCa, type DevCa, type DevCaAuthority, type IssuedRecord } from './ca.ts';
import { type AuthorityId, authorityIds, authorityProfiles, DEV_ONLY, formatRdns } from './profiles.ts';

const INDEX = 'index.json';
const NOTICE = `${DEV_ONLY}: development CA made by \`gongjik ca init\`. Never trust it in production.`;

interface IndexFile {
  readonly notice: string;
  readonly version: 1;
  readonly createdAt: string;
  readonly authorities: Record<
    AuthorityId,
    { subject: string; certificate: string; crl: string; privateKey: string; crlNumber: number }
  >;
  readonly issued: IssuedRecord[];
}

/** Paths of an authority's files, relative to the CA folder. */
export function authorityFiles(id: AuthorityId): { certificate: string; crl: string; privateKey: string } {
  const p = authorityProfiles[id];
  return {
    certificate: `${p.hierarchy}/${p.fileStem}.cer`,
    crl: `${p.hierarchy}/${p.fileStem}.crl`,
    privateKey: `private/${id}.key`,
  };
}

/** True when `dir` holds a development CA. */
export function isDevCaDir(dir: string): boolean {
  return existsSync(join(dir, INDEX));
}

/** Creates a development CA in `dir`. Refuses a folder that already holds one (ERR_CA_ALREADY_INITIALIZED). */
export async function initDevCaDir(dir: string, clock: CaClock): Promise<DevCa> {
  const already = () => new GongjikError('ERR_CA_ALREADY_INITIALIZED', { dir: resolve(dir) });
  if (isDevCaDir(dir)) throw already();
  await mkdir(dir, { recursive: true });
  // Two concurrent inits: the second finds the lock (or, later, the index) and refuses.
  const lock = join(dir, '.init.lock');
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw already();
    throw err;
  }
  try {
    if (isDevCaDir(dir)) throw already();
    const ca = await createDevCa(clock);
    await saveDevCa(dir, ca);
    return ca;
  } finally {
    await rm(lock, { force: true });
  }
}

/** Reads the development CA in `dir` (ERR_CA_NOT_INITIALIZED when there is none). */
export async function loadDevCa(dir: string): Promise<DevCa> {
  let index: IndexFile;
  try {
    index = JSON.parse(await readFile(join(dir, INDEX), 'utf8')) as IndexFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new GongjikError('ERR_CA_NOT_INITIALIZED', { dir: resolve(dir) });
    throw err;
  }
  const authorities = {} as Record<AuthorityId, DevCaAuthority>;
  for (const id of authorityIds) {
    const entry = index.authorities[id];
    authorities[id] = {
      id,
      certificate: new Uint8Array(await readFile(join(dir, entry.certificate))),
      privateKey: pemToDer(await readFile(join(dir, entry.privateKey), 'utf8')),
      crl: new Uint8Array(await readFile(join(dir, entry.crl))),
      crlNumber: entry.crlNumber,
    };
  }
  return { version: 1, createdAt: index.createdAt, authorities, issued: index.issued };
}

/**
 * Writes `ca` to `dir`: certificates, CRLs, keys (0600), then index.json last (through a rename,
 * so a reader never sees half of it).
 */
export async function saveDevCa(dir: string, ca: DevCa): Promise<void> {
  await mkdir(join(dir, 'private'), { recursive: true, mode: 0o700 });
  await chmod(join(dir, 'private'), 0o700);
  const authorities = {} as IndexFile['authorities'];
  for (const id of authorityIds) {
    const a = ca.authorities[id];
    const files = authorityFiles(id);
    await mkdir(dirname(join(dir, files.certificate)), { recursive: true });
    await writeFile(join(dir, files.certificate), a.certificate);
    await writeFile(join(dir, files.crl), a.crl);
    const keyPath = join(dir, files.privateKey);
    await writeFile(keyPath, derToPem(a.privateKey, 'PRIVATE KEY'), { mode: 0o600 });
    await chmod(keyPath, 0o600);
    authorities[id] = {
      subject: formatRdns(authorityProfiles[id].subject),
      ...files,
      crlNumber: a.crlNumber,
    };
  }
  const index: IndexFile = {
    notice: NOTICE,
    version: 1,
    createdAt: ca.createdAt,
    authorities,
    issued: ca.issued,
  };
  const tmp = join(dir, `${INDEX}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(index, null, 2)}\n`);
  await rename(tmp, join(dir, INDEX));
  await writeFile(join(dir, 'DEV-ONLY.txt'), `${NOTICE}\n`);
}

/** Absolute paths of the CRLs (and certificates) of every authority in `dir`. */
export function devCaPaths(dir: string): { id: AuthorityId; certificate: string; crl: string }[] {
  return authorityIds.map((id) => {
    const f = authorityFiles(id);
    return { id, certificate: resolve(dir, f.certificate), crl: resolve(dir, f.crl) };
  });
}

function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`;
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export interface WrittenBundle {
  readonly signCert: string;
  readonly signKey: string;
  readonly envCert?: string;
  readonly envKey?: string;
}

/** The files of `bundle` that already exist under `out` (absolute paths). */
export function existingBundleFiles(
  out: string,
  bundle: { files: readonly { path: readonly string[] }[] },
): string[] {
  return bundle.files.map((f) => resolve(out, ...f.path)).filter((p) => existsSync(p));
}

/**
 * Writes a user bundle under `out` (a USB stick root, say): certificates 0644, key files 0600.
 * Never overwrites a file (a holder's real certificate may sit there): fails with EEXIST instead.
 */
export async function writeUserBundle(out: string, bundle: UserBundle): Promise<WrittenBundle> {
  const written: Partial<Record<BundleFile['role'], string>> = {};
  for (const file of bundle.files) {
    const path = resolve(out, ...file.path);
    await mkdir(dirname(path), { recursive: true });
    const secret = file.role === 'signKey' || file.role === 'envKey';
    await writeFile(path, file.data, { flag: 'wx', mode: secret ? 0o600 : 0o644 });
    written[file.role] = path;
  }
  return written as WrittenBundle;
}
