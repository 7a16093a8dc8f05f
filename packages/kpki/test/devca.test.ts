import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeCertificate } from '../src/cert/index.ts';
import {
  authorityIds,
  authorityProfiles,
  createDevCa,
  DEV_ONLY,
  type DevCa,
  type IssuedUser,
  issueUserCertificates,
  layoutPaths,
  reissueCrls,
  revokeCertificate,
  userBundle,
  userPolicies,
} from '../src/devca/index.ts';
import { initDevCaDir, loadDevCa } from '../src/devca/store.ts';
import { decryptKeyFile, keyFileScheme } from '../src/keyfile/index.ts';
import * as x509 from '../src/x509.ts';

const now = new Date('2026-03-02T09:00:00Z');
const clock = { crypto, now };
const DAY = 86_400_000;

let ca: DevCa;
let gpki: IssuedUser;
let npki: IssuedUser;

before(async () => {
  ca = await createDevCa(clock);
  gpki = await issueUserCertificates(
    ca,
    { kind: 'gpki', name: '류시원', org: '행정안전부', dept: '디지털정부국' },
    clock,
  );
  npki = await issueUserCertificates(ca, { kind: 'npki', name: '류시원', org: 'WRIBank' }, clock);
});

const cert = (der: Uint8Array) => new x509.X509Certificate(new Uint8Array(der));

describe('development CA hierarchies', () => {
  it('says DEV ONLY in the subject of every CA certificate', () => {
    for (const id of authorityIds) {
      assert.match(cert(ca.authorities[id].certificate).subject, /DEV ONLY/, id);
    }
  });

  it('chains each issuing CA to its root with valid signatures and CA constraints', async () => {
    for (const id of authorityIds) {
      const profile = authorityProfiles[id];
      const c = cert(ca.authorities[id].certificate);
      const issuer = cert(ca.authorities[profile.parent ?? id].certificate);
      assert.equal(c.issuer, issuer.subject, id);
      assert.equal(await c.verify({ publicKey: issuer, signatureOnly: true }, crypto), true, id);
      const bc = c.getExtension(x509.BasicConstraintsExtension);
      assert.equal(bc?.ca, true, id);
      assert.equal(bc?.critical, true, id);
      assert.equal(bc?.pathLength, profile.pathLen, id);
      const ku = c.getExtension(x509.KeyUsagesExtension);
      assert.equal(ku?.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, id);
    }
  });

  it('names the GPKI issuing CA like CA131100001 under OU=GPKI,O=Government of Korea,C=KR', () => {
    const c = cert(ca.authorities['gpki-ca'].certificate);
    assert.equal(
      c.subject,
      'CN=CA131100001 (DEV ONLY), OU=GPKI, O=Government of Korea, C=KR'.split(', ').reverse().join(', '),
    );
    assert.equal(c.issuer, cert(ca.authorities['gpki-root'].certificate).subject);
  });

  it('signs a CRL for every CA with thisUpdate, nextUpdate and CRL number 1', async () => {
    for (const id of authorityIds) {
      const crl = new x509.X509Crl(new Uint8Array(ca.authorities[id].crl));
      const issuer = cert(ca.authorities[id].certificate);
      assert.equal(crl.issuer, issuer.subject, id);
      assert.equal(await crl.verify({ publicKey: issuer }, crypto), true, id);
      assert.equal(crl.thisUpdate.getTime(), now.getTime(), id);
      assert.ok(crl.nextUpdate && crl.nextUpdate.getTime() > now.getTime(), id);
      assert.equal(ca.authorities[id].crlNumber, 1, id);
      assert.equal(crl.entries.length, 0, id);
    }
  });
});

describe('development CA user certificates', () => {
  it('issues a GPKI personal certificate with the real CN shape and DEV ONLY in an OU', () => {
    const c = cert(gpki.sign.certificate);
    assert.equal(gpki.commonName, '850류시원001');
    assert.deepEqual(c.subjectName.getField('CN'), ['850류시원001']);
    assert.ok(c.subjectName.getField('OU').includes(DEV_ONLY));
    assert.ok(c.subjectName.getField('OU').includes('people'));
    assert.ok(c.subjectName.getField('OU').includes('행정안전부'));
    assert.ok(c.subjectName.getField('OU').includes('디지털정부국'));
    assert.deepEqual(c.subjectName.getField('O'), ['Government of Korea']);
    assert.equal(c.issuer, cert(ca.authorities['gpki-ca'].certificate).subject);
  });

  it('marks the signing certificate with its policy, keyUsage and CRL distribution point', () => {
    const c = cert(gpki.sign.certificate);
    assert.deepEqual(
      [...(c.getExtension(x509.CertificatePolicyExtension)?.policies ?? [])],
      [userPolicies.gpki],
    );
    const ku = c.getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    assert.equal(ku?.critical, true);
    assert.ok(c.getExtension(x509.CRLDistributionPointsExtension));
    assert.equal(c.getExtension(x509.BasicConstraintsExtension), null);
  });

  it('gives a GPKI holder an encryption pair beside the signing pair', () => {
    assert.ok(gpki.env);
    const ku = cert(gpki.env.certificate).getExtension(x509.KeyUsagesExtension);
    assert.equal(ku?.usages, x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment);
    assert.notEqual(gpki.env.serial, gpki.sign.serial);
  });

  it('uses random positive 16-byte serial numbers', () => {
    for (const serial of [gpki.sign.serial, gpki.env!.serial, npki.sign.serial]) {
      assert.match(serial, /^[4-7][0-9a-f]{31}$/);
    }
    assert.equal(cert(gpki.sign.certificate).serialNumber.toLowerCase(), gpki.sign.serial);
  });

  it('issues an NPKI certificate under O=yessign with a name()digits CN and no encryption pair', () => {
    const c = cert(npki.sign.certificate);
    assert.match(npki.commonName, /^류시원\(\)\d{22}$/);
    assert.deepEqual(c.subjectName.getField('O'), ['yessign']);
    assert.ok(c.subjectName.getField('OU').includes(DEV_ONLY));
    assert.deepEqual(
      [...(c.getExtension(x509.CertificatePolicyExtension)?.policies ?? [])],
      [userPolicies.npki],
    );
    assert.equal(npki.env, undefined);
  });

  it('numbers a second certificate for the same name 002', async () => {
    const again = await issueUserCertificates(ca, { kind: 'gpki', name: '류시원', org: '행정안전부' }, clock);
    assert.equal(again.commonName, '850류시원002');
  });

  it('honours notBefore and notAfter', async () => {
    const notBefore = new Date(now.getTime() - 10 * DAY);
    const notAfter = new Date(now.getTime() + DAY);
    const u = await issueUserCertificates(
      ca,
      { kind: 'epki', name: '홍길동', org: '서울대학교', notBefore, notAfter },
      clock,
    );
    const c = cert(u.sign.certificate);
    assert.equal(c.notBefore.getTime(), notBefore.getTime());
    assert.equal(c.notAfter.getTime(), notAfter.getTime());
    assert.equal(c.issuer, cert(ca.authorities['epki-ca'].certificate).subject);
  });

  it('lays out GPKI pairs as class2/<CN>_sig.* and NPKI pairs as USER/<dn>/signCert.der', () => {
    const g = layoutPaths('gpki', gpki.commonName, gpki.subjectRdns);
    assert.deepEqual(g.folder, ['GPKI', 'Certificate', 'class2']);
    assert.equal(g.signCert, '850류시원001_sig.cer');
    assert.equal(g.envKey, '850류시원001_env.key');
    const n = layoutPaths('npki', npki.commonName, npki.subjectRdns);
    assert.deepEqual(n.folder.slice(0, 3), ['NPKI', 'yessign', 'USER']);
    assert.equal(n.folder[3], `cn=${npki.commonName},ou=WRIBank,ou=personal4IB,ou=DEV ONLY,o=yessign,c=kr`);
    assert.equal(n.signCert, 'signCert.der');
    assert.equal(n.signKey, 'signPri.key');
  });

  it('never lets a name escape the layout folder', () => {
    const g = layoutPaths('gpki', '850../../etc001', []);
    assert.ok(!g.signCert.includes('/'));
  });
});

describe('development CA certificates as kpki reads them', () => {
  const expected = {
    gpki: 'gpki-personal',
    'gpki-special': 'gpki-special',
    epki: 'epki-personal',
    npki: 'npki',
  } as const;
  for (const [kind, cls] of Object.entries(expected) as [keyof typeof expected, string][]) {
    it(`classifies a ${kind} certificate as ${cls} and extracts exactly the holder name`, async () => {
      const name = kind === 'gpki-special' ? '민원실' : '류시원';
      const u = await issueUserCertificates(ca, { kind, name, org: '행정안전부' }, clock);
      const d = await describeCertificate(u.sign.certificate);
      assert.equal(d.class, cls);
      assert.equal(d.holderName, name);
      assert.equal(d.serial, u.sign.serial);
      assert.match(d.subject.dn, /DEV ONLY/);
      assert.match(d.issuer.dn, /DEV ONLY/);
    });
  }

  it('describes every CA certificate as a CA with no holder name', async () => {
    for (const id of authorityIds) {
      const d = await describeCertificate(ca.authorities[id].certificate);
      assert.equal(d.isCa, true, id);
      assert.equal(d.holderName, null, id);
    }
  });
});

describe('development CA key files', () => {
  it('encrypts both GPKI keys with seedCBCWithSHA1 and a randomNum, decryptable by kpki', async () => {
    const bundle = await userBundle(gpki, { password: 'dev-only-1', crypto });
    const keys = bundle.files.filter((f) => f.role === 'signKey' || f.role === 'envKey');
    assert.deepEqual(
      keys.map((f) => f.path.at(-1)),
      ['850류시원001_sig.key', '850류시원001_env.key'],
    );
    for (const [file, pair] of [
      [keys[0]!, gpki.sign],
      [keys[1]!, gpki.env!],
    ] as const) {
      assert.equal(keyFileScheme(file.data), 'kisa-seed-sha1');
      const key = await decryptKeyFile(file.data, 'dev-only-1');
      assert.deepEqual(key.pkcs8, pair.privateKey);
      assert.equal(key.randomNum?.length, 20);
      assert.equal(key.keyAlgorithm, 'rsa');
    }
  });

  it('refuses the wrong password for an issued key with ERR_PKI_BAD_PASSWORD', async () => {
    const bundle = await userBundle(npki, { password: 'dev-only-1', crypto, scheme: 'pbes2-sha256' });
    const key = bundle.files.find((f) => f.role === 'signKey')!;
    assert.equal(keyFileScheme(key.data), 'pbes2-sha256');
    await assert.rejects(
      decryptKeyFile(key.data, 'dev-only-2'),
      (err: { code?: string }) => err.code === 'ERR_PKI_BAD_PASSWORD',
    );
  });
});

describe('development CA revocation', () => {
  it('refuses to revoke a serial it did not issue with ERR_CA_SERIAL_UNKNOWN', () => {
    assert.throws(
      () => revokeCertificate(ca, '00112233445566778899aabbccddeeff', { now }),
      (err: { code?: string }) => err.code === 'ERR_CA_SERIAL_UNKNOWN',
    );
  });

  it('lists a revoked serial with its reason in the next CRL and bumps the CRL number', async () => {
    const victim = await issueUserCertificates(
      ca,
      { kind: 'gpki', name: '김철수', org: '행정안전부' },
      clock,
    );
    const before = ca.authorities['gpki-ca'].crlNumber;
    const later = new Date(now.getTime() + DAY);
    // Serials are accepted as people type them: upper case, colons.
    const typed = victim.sign.serial.toUpperCase().match(/../g)!.join(':');
    const { record } = revokeCertificate(ca, typed, { now: later, reason: 'keyCompromise' });
    assert.equal(record.status, 'revoked');
    assert.equal(revokeCertificate(ca, victim.sign.serial, { now: later }).alreadyRevoked, true);
    await reissueCrls(ca, { crypto, now: later });
    assert.equal(ca.authorities['gpki-ca'].crlNumber, before + 1);
    const crl = new x509.X509Crl(new Uint8Array(ca.authorities['gpki-ca'].crl));
    const entry = crl.findRevoked(victim.sign.serial);
    assert.ok(entry);
    assert.equal(entry.reason, x509.X509CrlReason.keyCompromise);
    assert.equal(crl.findRevoked(gpki.sign.serial), null);
    assert.equal(new x509.X509Crl(new Uint8Array(ca.authorities['npki-ca'].crl)).entries.length, 0);
  });
});

describe('development CA on disk', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjik-devca-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the CA, keeps private keys 0600, and reads it back', async () => {
    const made = await initDevCaDir(dir, clock);
    const loaded = await loadDevCa(dir);
    for (const id of authorityIds) {
      assert.deepEqual(loaded.authorities[id].certificate, made.authorities[id].certificate);
      assert.deepEqual(loaded.authorities[id].privateKey, made.authorities[id].privateKey);
      assert.deepEqual(loaded.authorities[id].crl, made.authorities[id].crl);
      assert.equal((await stat(join(dir, 'private', `${id}.key`))).mode & 0o777, 0o600);
    }
    assert.equal((await stat(join(dir, 'private'))).mode & 0o777, 0o700);
    assert.match(await readFile(join(dir, 'index.json'), 'utf8'), /DEV ONLY/);
  });

  it('refuses to initialise a folder twice with ERR_CA_ALREADY_INITIALIZED', async () => {
    await assert.rejects(
      initDevCaDir(dir, clock),
      (err: { code?: string }) => err.code === 'ERR_CA_ALREADY_INITIALIZED',
    );
  });

  it('refuses to load a folder without a CA with ERR_CA_NOT_INITIALIZED', async () => {
    await assert.rejects(
      loadDevCa(join(dir, 'gpki')),
      (err: { code?: string }) => err.code === 'ERR_CA_NOT_INITIALIZED',
    );
  });
});

describe('development CA in the browser', () => {
  it('keeps every devca module but store.ts and node.ts free of node:*, Buffer and process', async () => {
    const dir = new URL('../src/devca/', import.meta.url);
    const files = (await readdir(dir)).filter(
      (f) => f.endsWith('.ts') && f !== 'store.ts' && f !== 'node.ts',
    );
    assert.ok(files.includes('ca.ts'));
    for (const f of [...files.map((f) => new URL(f, dir)), new URL('../src/x509.ts', import.meta.url)]) {
      const text = await readFile(f, 'utf8');
      assert.doesNotMatch(
        text,
        /from ['"]node:|require\(|import\(['"]node:|\bBuffer\b|\bprocess\./,
        f.pathname,
      );
    }
  });
});
