// `gongjik cert …`: look at certificates on disk and validate them against chosen roots.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { GongjikError, toGongjikError } from '@gongjik/errors';
import {
  type CertificateDescription,
  createValidator,
  DEV_ONLY,
  decryptKeyFile,
  describeCertificate,
  expectedKeyPath,
  keyFileScheme,
} from '@gongjik/kpki';
import { listCertificatesInDir, nodeCrypto } from '@gongjik/kpki/node';
import { defineCommand, optionalString } from '../command.ts';
import { parseTimeOption } from '../time-option.ts';

interface Target {
  readonly certPath: string;
  readonly keyPath: string | null;
  readonly description: CertificateDescription;
}

function requirePath(positionals: readonly string[]): string {
  const path = positionals[0];
  if (!path) throw new GongjikError('ERR_CLI_USAGE', { problem: 'give a certificate file or a folder' });
  const abs = resolve(path);
  if (!existsSync(abs)) throw new GongjikError('ERR_CLI_FILE_NOT_FOUND', { path: abs });
  return abs;
}

/** The certificate at `path`, or every certificate found under the folder `path`. */
async function targetsOf(path: string): Promise<Target[]> {
  if (statSync(path).isDirectory()) {
    const { certificates } = await listCertificatesInDir(path);
    if (certificates.length === 0) throw new GongjikError('ERR_PKI_NO_CERTIFICATES_FOUND', {});
    return certificates.map((c) => ({
      certPath: join(path, c.certPath),
      keyPath: c.keyPath === null ? null : join(path, c.keyPath),
      description: c.description,
    }));
  }
  const description = await describeCertificate(new Uint8Array(await readFile(path)));
  const keyPath = join(path, '..', basename(expectedKeyPath(path)));
  return [{ certPath: path, keyPath: existsSync(keyPath) ? keyPath : null, description }];
}

function summary(t: Target) {
  const d = t.description;
  return {
    path: t.certPath,
    keyPath: t.keyPath,
    devOnly: d.subject.dn.includes(DEV_ONLY),
    class: d.class,
    holderName: d.holderName,
    subject: d.subject.dn,
    issuer: d.issuer.dn,
    serial: d.serial,
    notBefore: d.notBefore.toISOString(),
    notAfter: d.notAfter.toISOString(),
    policies: d.policies,
    fingerprintSha256: d.fingerprintSha256,
  };
}

interface KeyReport {
  present: boolean;
  scheme?: string;
  /** null when no --password was given. */
  decrypts: boolean | null;
  matchesCertificate?: boolean;
  error?: string;
}

/** True when the PKCS#8 key's public half is the certificate's public key. */
function keyMatches(pkcs8: Uint8Array, certDer: Uint8Array): boolean {
  try {
    const mine = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
    return new X509Certificate(certDer).publicKey.equals(mine);
  } catch {
    return false;
  }
}

async function checkKey(t: Target, password: string | undefined): Promise<KeyReport> {
  if (!t.keyPath) return { present: false, decrypts: null };
  const file = new Uint8Array(await readFile(t.keyPath));
  const report: KeyReport = { present: true, decrypts: null };
  try {
    report.scheme = keyFileScheme(file);
  } catch (err) {
    report.error = toGongjikError(err).code;
    return report;
  }
  if (password === undefined) return report;
  try {
    const key = await decryptKeyFile(file, password);
    report.decrypts = true;
    report.matchesCertificate = keyMatches(key.pkcs8, t.description.der);
    if (!report.matchesCertificate) report.error = 'ERR_PKI_KEY_CERT_MISMATCH';
  } catch (err) {
    const code = toGongjikError(err).code;
    if (report.decrypts) report.matchesCertificate = false;
    else report.decrypts = false;
    report.error = code;
  }
  return report;
}

export const certInspectCommand = defineCommand({
  name: 'cert inspect',
  summary: 'show class, holder name, subject, issuer, serial, validity and policies; check the key file',
  usage: 'cert inspect PATH [--password P]   (PATH: a certificate file, or a folder such as a USB root)',
  options: {
    password: { type: 'string', description: 'certificate password: checks that the key file decrypts' },
  },
  async run(ctx) {
    const path = requirePath(ctx.positionals);
    const password = optionalString(ctx, 'password');
    const certificates = [];
    for (const t of await targetsOf(path)) {
      const item = { ...summary(t), key: await checkKey(t, password) };
      certificates.push(item);
      ctx.print(`${item.path}${item.devOnly ? `  [${DEV_ONLY}]` : ''}`);
      ctx.print(`  class       ${item.class}`);
      ctx.print(`  name        ${item.holderName ?? '(none)'}`);
      ctx.print(`  subject     ${item.subject}`);
      ctx.print(`  issuer      ${item.issuer}`);
      ctx.print(`  serial      ${item.serial}`);
      ctx.print(`  valid       ${item.notBefore} → ${item.notAfter}`);
      ctx.print(`  policies    ${item.policies.join(', ') || '(none)'}`);
      const k = item.key;
      const keyLine = !k.present
        ? 'missing'
        : k.decrypts === null
          ? `${k.scheme ?? 'unreadable'}${k.error ? ` (${k.error})` : ''}; give --password to check it`
          : k.decrypts && k.matchesCertificate
            ? `${k.scheme}: decrypts, matches the certificate`
            : `${k.scheme}: ${k.error}`;
      ctx.print(`  key file    ${item.keyPath ?? '(none beside it)'}`);
      ctx.print(`              ${keyLine}`);
    }
    return { certificates };
  },
});

const CERT_EXT = new Set(['.cer', '.crt', '.der', '.pem']);

/** Every certificate and CRL under `dir` (a CA folder or any folder of them); `private/` is skipped. */
async function trustMaterial(dir: string) {
  const anchors: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const names: { anchors: string[]; intermediates: string[]; crls: string[] } = {
    anchors: [],
    intermediates: [],
    crls: [],
  };
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (depth < 4 && entry.name !== 'private' && !entry.name.startsWith('.')) await walk(p, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      const ext = extname(entry.name).toLowerCase();
      const rel = relative(dir, p);
      if (ext === '.crl') {
        crls.push(pemOrDer(await readFile(p), 'X509 CRL'));
        names.crls.push(rel);
      } else if (CERT_EXT.has(ext)) {
        let d: CertificateDescription;
        try {
          d = await describeCertificate(new Uint8Array(await readFile(p)));
        } catch {
          continue; // not a certificate
        }
        const selfIssued = d.subject.dn === d.issuer.dn;
        (selfIssued ? anchors : intermediates).push(d.der);
        (selfIssued ? names.anchors : names.intermediates).push(rel);
      }
    }
  };
  await walk(dir, 0);
  return { anchors, intermediates, crls, names };
}

function pemOrDer(bytes: Buffer, label: string): Uint8Array {
  const text = bytes.subarray(0, 40).toString('latin1');
  if (!text.startsWith('-----BEGIN')) return new Uint8Array(bytes);
  const body = bytes
    .toString('latin1')
    .replace(new RegExp(`-----(BEGIN|END) ${label}-----`, 'g'), '')
    .replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export const certVerifyCommand = defineCommand({
  name: 'cert verify',
  summary: 'validate a certificate (RFC 5280 path, validity, policies, revocation by CRL) against --roots',
  usage:
    'cert verify PATH --roots D [--at TIME]   (D: a CA folder, or a folder of root/intermediate certs and CRLs)',
  options: {
    roots: { type: 'string', description: 'folder of trust anchors (self-signed), intermediates and CRLs' },
    at: {
      type: 'string',
      description: 'validation time: ISO 8601 or an offset like +2d (--at=-1d for the past); default now',
    },
  },
  async run(ctx) {
    const path = requirePath(ctx.positionals);
    const rootsOption = optionalString(ctx, 'roots');
    if (!rootsOption) throw new GongjikError('ERR_CLI_USAGE', { problem: '--roots is required' });
    const roots = resolve(rootsOption);
    if (!existsSync(roots) || !statSync(roots).isDirectory())
      throw new GongjikError('ERR_CLI_FILE_NOT_FOUND', { path: roots });
    const now = new Date();
    const atOption = optionalString(ctx, 'at');
    const at = atOption ? parseTimeOption('at', atOption, now) : now;

    const trust = await trustMaterial(roots);
    if (trust.anchors.length === 0) {
      throw new GongjikError('ERR_CLI_USAGE', {
        problem: `--roots holds no self-signed certificate: ${roots}`,
      });
    }
    const validator = createValidator({
      anchors: trust.anchors,
      intermediates: trust.intermediates,
      crls: trust.crls,
      crypto: nodeCrypto,
      revocation: 'require',
    });

    const results = [];
    let firstRefusal: GongjikError | undefined;
    for (const t of await targetsOf(path)) {
      const base = summary(t);
      try {
        const r = await validator.validate(t.description.der, { at });
        results.push({
          ...base,
          verdict: 'valid' as const,
          chain: r.path.map((c) => c.subject.text),
          validPolicies: r.policies,
          revocation: r.revocation.method,
        });
        ctx.print(`VALID    ${t.certPath}${base.devOnly ? `  [${DEV_ONLY}]` : ''}`);
        ctx.print(`         ${r.path.map((c) => c.subject.text).join('\n      ← ')}`);
      } catch (err) {
        const e = toGongjikError(err);
        firstRefusal ??= e;
        results.push({ ...base, verdict: 'refused' as const, code: e.code });
        ctx.print(`REFUSED  ${t.certPath}${base.devOnly ? `  [${DEV_ONLY}]` : ''}: ${e.code}`);
      }
    }
    ctx.print(
      `(at ${at.toISOString()}; ${trust.anchors.length} anchors, ${trust.crls.length} CRLs from ${roots})`,
    );
    // A refusal is the command's failure: exit 1 with the validator's error code.
    if (firstRefusal) throw firstRefusal;
    return { at: at.toISOString(), roots, trust: trust.names, results };
  },
});

export const certCommands = [certInspectCommand, certVerifyCommand];
