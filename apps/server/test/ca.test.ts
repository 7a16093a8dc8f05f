import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const gongjik = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
/** Runs a command with --json and returns the exit status and the parsed output. */
const json = (...args: string[]) => {
  const r = gongjik(...args, '--json');
  let out: Record<string, unknown> & { error?: { code: string } };
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, out };
};

const PASSWORD = 'dev-only-P@ss1';
let work: string;
let caDir: string;
let usb: string;
type Issued = Record<string, unknown> & { files: Record<string, string>; serial: string };
let gpkiIssue: Issued;
let shortLived: Issued;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'gongjik-ca-'));
  caDir = join(work, 'ca');
  usb = join(work, 'usb');
});
after(() => rmSync(work, { recursive: true, force: true }));

// --- an independent reader of KISA key files: a tiny DER walker, PBKDF1-SHA1 and OpenSSL's SEED ---

interface Tlv {
  tag: number;
  start: number;
  end: number;
}
function tlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  return { tag, start, end: start + len };
}
function kids(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = tlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}
function oidText(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let v = 0;
  for (const b of bytes.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const opensslHasSeed = (() => {
  const r = spawnSync(
    'openssl',
    [
      'enc',
      '-seed-cbc',
      '-provider',
      'legacy',
      '-provider',
      'default',
      '-K',
      '00'.repeat(16),
      '-iv',
      '00'.repeat(16),
    ],
    { input: 'x' },
  );
  return r.status === 0;
})();

/** Decrypts a seedCBCWithSHA1 (1.2.410.200004.1.15) key file with PBKDF1-SHA1 and `openssl enc -seed-cbc`. */
function decryptWithOpenssl(file: Buffer, password: string): Buffer {
  const [alg, data] = kids(file, tlv(file, 0));
  const [oid, params] = kids(file, alg!);
  assert.equal(oidText(file.subarray(oid!.start, oid!.end)), '1.2.410.200004.1.15');
  const [salt, iter] = kids(file, params!);
  const iterations = file.subarray(iter!.start, iter!.end).reduce((n, b) => n * 256 + b, 0);
  let dk = createHash('sha1')
    .update(Buffer.concat([Buffer.from(password, 'utf8'), file.subarray(salt!.start, salt!.end)]))
    .digest();
  for (let i = 1; i < iterations; i++) dk = createHash('sha1').update(dk).digest();
  const key = dk.subarray(0, 16);
  const iv = createHash('sha1').update(dk.subarray(16, 20)).digest().subarray(0, 16);
  const r = spawnSync(
    'openssl',
    [
      'enc',
      '-d',
      '-seed-cbc',
      '-provider',
      'legacy',
      '-provider',
      'default',
      '-K',
      key.toString('hex'),
      '-iv',
      iv.toString('hex'),
    ],
    { input: file.subarray(data!.start, data!.end) },
  );
  assert.equal(r.status, 0, r.stderr?.toString());
  return r.stdout;
}

const spkiOfCert = (path: string) =>
  new X509Certificate(readFileSync(path)).publicKey.export({ type: 'spki', format: 'der' });

describe('gongjik ca', () => {
  it('initialises a development CA and says DEV ONLY', () => {
    const r = gongjik('ca', 'init', '--dir', caDir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /DEV ONLY/);
    assert.ok(existsSync(join(caDir, 'index.json')));
    for (const f of readdirSync(join(caDir, 'private'))) {
      assert.equal(statSync(join(caDir, 'private', f)).mode & 0o777, 0o600, f);
    }
  });

  it('refuses to initialise the same folder twice with ERR_CA_ALREADY_INITIALIZED', () => {
    const { status, out } = json('ca', 'init', '--dir', caDir);
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_CA_ALREADY_INITIALIZED');
  });

  it('refuses to issue from a folder without a CA with ERR_CA_NOT_INITIALIZED', () => {
    const { status, out } = json(
      'ca',
      'issue',
      '--dir',
      join(work, 'nothing'),
      '--kind',
      'gpki',
      '--name',
      '류시원',
      '--org',
      '행정안전부',
      '--password',
      PASSWORD,
      '--out',
      usb,
    );
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_CA_NOT_INITIALIZED');
  });

  it('writes a GPKI pair in the GPKI/Certificate/class2 layout with key files 0600', () => {
    const { status, out } = json(
      'ca',
      'issue',
      '--dir',
      caDir,
      '--kind',
      'gpki',
      '--name',
      '류시원',
      '--org',
      '행정안전부',
      '--dept',
      '디지털정부국',
      '--password',
      PASSWORD,
      '--out',
      usb,
    );
    assert.equal(status, 0, JSON.stringify(out));
    gpkiIssue = out as typeof gpkiIssue;
    const dir = join(usb, 'GPKI', 'Certificate', 'class2');
    assert.equal(gpkiIssue.files.signCert, join(dir, '850류시원001_sig.cer'));
    assert.equal(gpkiIssue.files.signKey, join(dir, '850류시원001_sig.key'));
    assert.equal(gpkiIssue.files.envCert, join(dir, '850류시원001_env.cer'));
    assert.equal(gpkiIssue.files.envKey, join(dir, '850류시원001_env.key'));
    assert.equal(statSync(gpkiIssue.files.signKey).mode & 0o777, 0o600);
    assert.equal(out.devOnly, true);
  });

  it('writes a key file that OpenSSL legacy SEED and PBKDF1-SHA1 decrypt to the certificate key', (t) => {
    if (!opensslHasSeed) {
      t.skip('this openssl has no legacy provider with SEED');
      return;
    }
    const pkcs8 = decryptWithOpenssl(readFileSync(gpkiIssue.files.signKey), PASSWORD);
    const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    assert.deepEqual(spki, spkiOfCert(gpkiIssue.files.signCert));
  });

  it('puts DEV ONLY in the subject of the issued certificate and keeps the CN shape', () => {
    const cert = new X509Certificate(readFileSync(gpkiIssue.files.signCert));
    assert.match(cert.subject, /OU=DEV ONLY/);
    assert.match(cert.subject, /CN=850류시원001/);
    assert.match(cert.issuer, /CN=CA131100001 \(DEV ONLY\)/);
  });

  it('writes an NPKI pair in NPKI/yessign/USER/<dn>/signCert.der + signPri.key', () => {
    const { status, out } = json(
      'ca',
      'issue',
      '--dir',
      caDir,
      '--kind',
      'npki',
      '--name',
      '류시원',
      '--org',
      'WRIBank',
      '--password',
      PASSWORD,
      '--out',
      usb,
      '--scheme',
      'pbes2-sha256',
    );
    assert.equal(status, 0, JSON.stringify(out));
    const files = out.files as Record<string, string>;
    const user = join(usb, 'NPKI', 'yessign', 'USER');
    const [folder] = readdirSync(user);
    assert.match(folder!, /^cn=류시원\(\)\d{22},ou=WRIBank,ou=personal4IB,ou=DEV ONLY,o=yessign,c=kr$/);
    assert.equal(files.signCert, join(user, folder!, 'signCert.der'));
    assert.equal(files.signKey, join(user, folder!, 'signPri.key'));
    assert.equal(files.envCert, undefined);
  });

  it('numbers a second certificate for the same holder 002', () => {
    const { status, out } = json(
      'ca',
      'issue',
      '--dir',
      caDir,
      '--kind',
      'gpki',
      '--name',
      '류시원',
      '--org',
      '행정안전부',
      '--password',
      PASSWORD,
      '--out',
      usb,
      '--not-after',
      '+1d',
    );
    assert.equal(status, 0, JSON.stringify(out));
    assert.equal(out.commonName, '850류시원002');
    shortLived = out as typeof shortLived;
  });

  it('refuses to overwrite a certificate already in --out with ERR_CLI_USAGE', () => {
    const clash = join(usb, 'GPKI', 'Certificate', 'class2', '850홍길동001_sig.cer');
    writeFileSync(clash, 'a real certificate');
    const { status, out } = json(
      'ca',
      'issue',
      '--dir',
      caDir,
      '--kind',
      'gpki',
      '--name',
      '홍길동',
      '--org',
      '행정안전부',
      '--password',
      PASSWORD,
      '--out',
      usb,
    );
    assert.equal(status, 2);
    assert.equal(out.error?.code, 'ERR_CLI_USAGE');
    assert.equal(readFileSync(clash, 'utf8'), 'a real certificate');
  });

  it('refuses a name with digits or path characters with ERR_CLI_USAGE', () => {
    for (const name of ['../x', '류시원1', 'a/b']) {
      const { status, out } = json(
        'ca',
        'issue',
        '--dir',
        caDir,
        '--kind',
        'gpki',
        '--name',
        name,
        '--org',
        '행정안전부',
        '--password',
        PASSWORD,
        '--out',
        usb,
      );
      assert.equal(status, 2, name);
      assert.equal(out.error?.code, 'ERR_CLI_USAGE', name);
    }
  });

  it('inspects a USB folder: class, exact holder name, DEV ONLY, and a key that decrypts', () => {
    const { status, out } = json('cert', 'inspect', usb, '--password', PASSWORD);
    assert.equal(status, 0, JSON.stringify(out));
    const certs = out.certificates as {
      path: string;
      class: string;
      holderName: string;
      subject: string;
      serial: string;
      devOnly: boolean;
      key: { decrypts: boolean | null; matchesCertificate?: boolean };
    }[];
    const gpki = certs.find((c) => c.path === gpkiIssue.files.signCert)!;
    assert.equal(gpki.class, 'gpki-personal');
    assert.equal(gpki.holderName, '류시원');
    assert.equal(gpki.serial, gpkiIssue.serial);
    assert.equal(gpki.key.decrypts, true);
    assert.equal(gpki.key.matchesCertificate, true);
    const npki = certs.find((c) => c.class === 'npki')!;
    assert.equal(npki.holderName, '류시원');
    assert.equal(npki.key.decrypts, true);
    for (const c of certs) {
      assert.match(c.subject, /DEV ONLY/);
      assert.equal(c.devOnly, true);
    }
    const human = gongjik('cert', 'inspect', gpkiIssue.files.signCert);
    assert.equal(human.status, 0);
    assert.match(human.stdout, /\[DEV ONLY\]/);
  });

  it('reports a wrong password as ERR_PKI_BAD_PASSWORD without failing the inspection', () => {
    const { status, out } = json('cert', 'inspect', gpkiIssue.files.signCert, '--password', 'wrong');
    assert.equal(status, 0);
    const [c] = out.certificates as { key: { decrypts: boolean; error: string } }[];
    assert.equal(c!.key.decrypts, false);
    assert.equal(c!.key.error, 'ERR_PKI_BAD_PASSWORD');
  });

  it('verifies a fresh GPKI certificate against the GPKI roots, with revocation checked', () => {
    const { status, out } = json('cert', 'verify', gpkiIssue.files.signCert, '--roots', join(caDir, 'gpki'));
    assert.equal(status, 0, JSON.stringify(out));
    const [r] = out.results as { verdict: string; revocation: string; chain: string[] }[];
    assert.equal(r!.verdict, 'valid');
    assert.equal(r!.revocation, 'crl');
    assert.equal(r!.chain.length, 3);
    const human = gongjik('cert', 'verify', gpkiIssue.files.signCert, '--roots', caDir);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /VALID.*DEV ONLY/);
  });

  it('refuses an expired certificate with ERR_PKI_CERT_EXPIRED', () => {
    const { status, out } = json(
      'cert',
      'verify',
      shortLived.files.signCert,
      '--roots',
      join(caDir, 'gpki'),
      '--at',
      '+2d',
    );
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_PKI_CERT_EXPIRED');
  });

  it('refuses a certificate before its notBefore with ERR_PKI_CERT_NOT_YET_VALID', () => {
    const { status, out } = json(
      'cert',
      'verify',
      gpkiIssue.files.signCert,
      '--roots',
      join(caDir, 'gpki'),
      '--at=-1d',
    );
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_PKI_CERT_NOT_YET_VALID');
  });

  it('refuses a time it cannot read with ERR_CLI_USAGE', () => {
    const { status, out } = json(
      'cert',
      'verify',
      gpkiIssue.files.signCert,
      '--roots',
      caDir,
      '--at',
      'tomorrow',
    );
    assert.equal(status, 2);
    assert.equal(out.error?.code, 'ERR_CLI_USAGE');
  });

  it('refuses an NPKI certificate against the GPKI roots with ERR_PKI_NO_PATH', () => {
    const user = join(usb, 'NPKI', 'yessign', 'USER');
    const cert = join(user, readdirSync(user)[0]!, 'signCert.der');
    const { status, out } = json('cert', 'verify', cert, '--roots', join(caDir, 'gpki'));
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_PKI_NO_PATH');
  });

  it('refuses to revoke a serial it never issued with ERR_CA_SERIAL_UNKNOWN', () => {
    const { status, out } = json('ca', 'revoke', '--dir', caDir, '--serial', '0badc0ffee');
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_CA_SERIAL_UNKNOWN');
  });

  it('revokes a serial and lists it in the CRL after ca crl', () => {
    const r = gongjik(
      'ca',
      'revoke',
      '--dir',
      caDir,
      '--serial',
      gpkiIssue.serial,
      '--reason',
      'keyCompromise',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /DEV ONLY/);
    const { status, out } = json('ca', 'crl', '--dir', caDir);
    assert.equal(status, 0);
    const crls = out.crls as { id: string; path: string; crlNumber: number; revoked: number }[];
    const gpkiCa = crls.find((c) => c.id === 'gpki-ca')!;
    assert.equal(gpkiCa.crlNumber, 2);
    assert.equal(gpkiCa.revoked, 1);
    const text = spawnSync('openssl', ['crl', '-inform', 'der', '-in', gpkiCa.path, '-noout', '-text'], {
      encoding: 'utf8',
    }).stdout;
    assert.match(text, new RegExp(gpkiIssue.serial.toUpperCase()));
    assert.match(text, /Key Compromise/);
  });

  it('refuses the revoked certificate with ERR_PKI_REVOKED once the CRL is re-issued', () => {
    const { status, out } = json('cert', 'verify', gpkiIssue.files.signCert, '--roots', join(caDir, 'gpki'));
    assert.equal(status, 1);
    assert.equal(out.error?.code, 'ERR_PKI_REVOKED');
    // The certificate issued beside it is still good.
    assert.equal(json('cert', 'verify', shortLived.files.signCert, '--roots', join(caDir, 'gpki')).status, 0);
  });
});
