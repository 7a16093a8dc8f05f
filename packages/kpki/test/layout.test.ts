import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { type PickedFile, requireKeyPath, scanCertificates } from '../src/index.ts';
import { listCertificatesInDir } from '../src/node.ts';
import { GPKI_ISSUER, makeCertificate, NPKI_ISSUER, POLICY } from './helpers/certs.ts';

let gpkiDer: Uint8Array;
let gpkiOldDer: Uint8Array;
let npkiDer: Uint8Array;

before(async () => {
  gpkiDer = await makeCertificate({
    subject: 'CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR',
    issuer: GPKI_ISSUER,
    policies: [POLICY.gpkiPersonal],
    notAfter: new Date('2027-06-01T00:00:00Z'),
  });
  gpkiOldDer = await makeCertificate({
    subject: 'CN=850홍길동002,OU=행정안전부,O=Government of Korea,C=KR',
    issuer: GPKI_ISSUER,
    policies: [POLICY.gpkiPersonal],
    notAfter: new Date('2026-01-01T00:00:00Z'),
  });
  npkiDer = await makeCertificate({
    subject: 'CN=홍길동()0010023400506789012345,OU=personal4IB,O=yessign,C=kr',
    issuer: NPKI_ISSUER,
    policies: [POLICY.yessignPersonal],
    notAfter: new Date('2026-09-01T00:00:00Z'),
  });
});

function files(entries: Record<string, Uint8Array | string>): PickedFile[] {
  return Object.entries(entries).map(([path, content]) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    return { path, size: bytes.byteLength, read: async () => bytes };
  });
}

/** A USB stick with both layouts, as `C:\GPKI` and `NPKI` copied by Windows. */
function usbStick(prefix = ''): Record<string, Uint8Array | string> {
  return {
    [`${prefix}GPKI/Certificate/class2/850홍길동001_sig.cer`]: gpkiDer,
    [`${prefix}GPKI/Certificate/class2/850홍길동001_sig.key`]: 'key',
    [`${prefix}GPKI/Certificate/class2/850홍길동001_env.cer`]: gpkiDer,
    [`${prefix}GPKI/Certificate/class2/850홍길동001_env.key`]: 'key',
    [`${prefix}GPKI/Certificate/class1/850홍길동002_sig.cer`]: gpkiOldDer,
    [`${prefix}GPKI/Certificate/class1/850홍길동002_sig.key`]: 'key',
    [`${prefix}NPKI/yessign/USER/cn=홍길동()0010023400506789012345,ou=personal4IB,o=yessign,c=kr/signCert.der`]:
      npkiDer,
    [`${prefix}NPKI/yessign/USER/cn=홍길동()0010023400506789012345,ou=personal4IB,o=yessign,c=kr/signPri.key`]:
      'key',
    [`${prefix}NPKI/yessign/USER/cn=홍길동()0010023400506789012345,ou=personal4IB,o=yessign,c=kr/kmCert.der`]:
      npkiDer,
    [`${prefix}NPKI/yessign/USER/cn=홍길동()0010023400506789012345,ou=personal4IB,o=yessign,c=kr/kmPri.key`]:
      'key',
    [`${prefix}README.txt`]: 'not a certificate',
  };
}

test('finds GPKI and NPKI certificates from a drive root, sorted by expiry, with key and env paths', async () => {
  const { certificates, skipped, truncated } = await scanCertificates(files(usbStick('USB/')));
  assert.equal(truncated, false);
  assert.deepEqual(skipped, []);
  assert.deepEqual(
    certificates.map((c) => [c.layout, c.description.class, c.description.holderName]),
    [
      ['gpki', 'gpki-personal', '홍길동'],
      ['npki', 'npki', '홍길동'],
      ['gpki', 'gpki-personal', '홍길동'],
    ],
  );
  const [old, npki, current] = certificates;
  assert.equal(old!.certPath, 'USB/GPKI/Certificate/class1/850홍길동002_sig.cer');
  assert.equal(current!.keyPath, 'USB/GPKI/Certificate/class2/850홍길동001_sig.key');
  assert.equal(current!.envCertPath, 'USB/GPKI/Certificate/class2/850홍길동001_env.cer');
  assert.equal(current!.envKeyPath, 'USB/GPKI/Certificate/class2/850홍길동001_env.key');
  assert.equal(old!.envCertPath, undefined);
  assert.match(npki!.keyPath!, /\/signPri\.key$/);
  assert.match(npki!.envCertPath!, /\/kmCert\.der$/);
});

test('finds certificates whichever folder was picked: GPKI, Certificate, class2, an NPKI user folder', async () => {
  const all = usbStick();
  const pick = (folder: string) =>
    files(
      Object.fromEntries(
        Object.entries(all)
          .filter(([p]) => p.startsWith(folder))
          .map(([p, c]) => [p.slice(folder.length - folder.split('/').at(-2)!.length - 1), c]),
      ),
    );
  for (const folder of ['GPKI/', 'GPKI/Certificate/', 'GPKI/Certificate/class2/']) {
    const found = await scanCertificates(pick(folder));
    assert.ok(found.certificates.length >= 1, folder);
    assert.ok(
      found.certificates.every((c) => c.layout === 'gpki' && c.keyPath !== null),
      folder,
    );
  }
  const npkiUser = await scanCertificates(
    pick('NPKI/yessign/USER/cn=홍길동()0010023400506789012345,ou=personal4IB,o=yessign,c=kr/'),
  );
  assert.equal(npkiUser.certificates.length, 1);
  assert.equal(npkiUser.certificates[0]!.layout, 'npki');
  // The picked folder itself, with nothing above it.
  const bare = await scanCertificates(
    files({ '850홍길동001_sig.cer': gpkiDer, '850홍길동001_sig.key': 'k' }),
  );
  assert.equal(bare.certificates[0]!.keyPath, '850홍길동001_sig.key');
});

test('matches case-insensitively (gpki/certificate/class2 on a USB copy) and across NFD/NFC names', async () => {
  const nfdKey = '850홍길동001_SIG.KEY'.normalize('NFD');
  const found = await scanCertificates(
    files({
      'gpki/certificate/class2/850홍길동001_SIG.CER': gpkiDer,
      [`gpki/certificate/class2/${nfdKey}`]: 'key',
      'npki/YESSIGN/user/CN=x/SIGNCERT.DER': npkiDer,
      'npki/YESSIGN/user/CN=x/SIGNPRI.KEY': 'key',
    }),
  );
  assert.equal(found.certificates.length, 2);
  assert.ok(found.certificates.every((c) => c.keyPath !== null));
  assert.equal(
    found.certificates.find((c) => c.layout === 'gpki')!.keyPath,
    `gpki/certificate/class2/${nfdKey}`,
  );
});

test('accepts Windows separators in paths', async () => {
  const found = await scanCertificates(
    files({ 'GPKI\\Certificate\\class2\\a_sig.cer': gpkiDer, 'GPKI\\Certificate\\class2\\a_sig.key': 'k' }),
  );
  assert.equal(found.certificates[0]!.certPath, 'GPKI/Certificate/class2/a_sig.cer');
  assert.equal(found.certificates[0]!.keyPath, 'GPKI/Certificate/class2/a_sig.key');
});

test('a certificate without its key file is listed with keyPath null; using it is ERR_PKI_KEY_FILE_MISSING', async () => {
  const found = await scanCertificates(files({ 'GPKI/Certificate/class2/850홍길동001_sig.cer': gpkiDer }));
  const [only] = found.certificates;
  assert.equal(only!.keyPath, null);
  assert.throws(
    () => requireKeyPath(only!),
    (err) => {
      assert.ok(isGongjikError(err, 'ERR_PKI_KEY_FILE_MISSING'));
      assert.equal(err.details.path, 'GPKI/Certificate/class2/850홍길동001_sig.key');
      return true;
    },
  );
});

test('a corrupt certificate is skipped with its error code and does not stop the scan', async () => {
  const found = await scanCertificates(
    files({
      'GPKI/Certificate/class2/broken_sig.cer': new Uint8Array([0x30, 0x82, 0x01]),
      'GPKI/Certificate/class2/broken_sig.key': 'k',
      'GPKI/Certificate/class2/850홍길동001_sig.cer': gpkiDer,
      'GPKI/Certificate/class2/850홍길동001_sig.key': 'k',
    }),
  );
  assert.equal(found.certificates.length, 1);
  assert.deepEqual(
    found.skipped.map((s) => [s.path, s.code]),
    [['GPKI/Certificate/class2/broken_sig.cer', 'ERR_PKI_CERT_MALFORMED']],
  );
});

test('a file that cannot be read is skipped, not thrown', async () => {
  const found = await scanCertificates([
    {
      path: 'NPKI/x/USER/cn=a/signCert.der',
      read: async () => {
        throw new Error('EIO');
      },
    },
  ]);
  assert.deepEqual(found.certificates, []);
  assert.equal(found.skipped[0]!.reason, 'unreadable');
});

test('bounded: big files are skipped unread, deep paths are skipped, entries past the limit are not looked at', async () => {
  let reads = 0;
  const big: PickedFile = {
    path: 'GPKI/Certificate/class2/big_sig.cer',
    size: 64 * 1024 + 1,
    read: async () => {
      reads++;
      return new Uint8Array(64 * 1024 + 1);
    },
  };
  const deep = files({ 'a/b/c/d/e/f/g/h/i/x_sig.cer': gpkiDer });
  const result = await scanCertificates([big, ...deep]);
  assert.equal(reads, 0);
  assert.deepEqual(
    result.skipped.map((s) => s.reason),
    ['too-deep', 'too-large'],
  );
  const many = files(Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`junk/${i}.txt`, 'x'])));
  const limited = await scanCertificates([...many, ...files({ 'late_sig.cer': gpkiDer })]);
  assert.equal(limited.truncated, true);
  assert.deepEqual(limited.certificates, []);
  // A size the list does not announce is still checked after reading.
  const unannounced = await scanCertificates([
    { path: 'x_sig.cer', read: async () => new Uint8Array(70_000) },
  ]);
  assert.equal(unannounced.skipped[0]!.reason, 'too-large');
});

test('an empty folder gives no certificates', async () => {
  const result = await scanCertificates([]);
  assert.deepEqual(result, { certificates: [], skipped: [], truncated: false });
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpki-layout-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('listCertificatesInDir walks a real folder (a USB drive root) with the same rules', async () => {
  for (const [path, content] of Object.entries(usbStick())) {
    const abs = join(dir, path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  await writeFile(join(dir, 'GPKI/Certificate/class2/bad_sig.cer'), 'garbage');
  const result = await listCertificatesInDir(dir);
  assert.equal(result.certificates.length, 3);
  assert.deepEqual(
    result.skipped.map((s) => [s.path, s.code]),
    [['GPKI/Certificate/class2/bad_sig.cer', 'ERR_PKI_CERT_MALFORMED']],
  );
  const gpki = await listCertificatesInDir(join(dir, 'GPKI', 'Certificate', 'class2'));
  assert.equal(gpki.certificates.length, 1);
  assert.equal(gpki.certificates[0]!.keyPath, '850홍길동001_sig.key');
  const empty = await listCertificatesInDir(join(dir, 'nowhere'));
  assert.deepEqual(empty.certificates, []);
});
