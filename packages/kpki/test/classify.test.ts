import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import {
  assertAcceptedForLogin,
  classifyCertificate,
  type DistinguishedName,
  describeCertificate,
} from '../src/index.ts';
import { GPKI_ISSUER, makeCertificate, NPKI_ISSUER, POLICY, pem, testKeys } from './helpers/certs.ts';

const GPKI: DistinguishedName = {
  dn: GPKI_ISSUER,
  cn: 'CA131100001',
  attributes: [
    { type: 'C', oid: '2.5.4.6', value: 'KR' },
    { type: 'O', oid: '2.5.4.10', value: 'Government of Korea' },
    { type: 'OU', oid: '2.5.4.11', value: 'GPKI' },
    { type: 'CN', oid: '2.5.4.3', value: 'CA131100001' },
  ],
};

function issuerWith(o: string, ou = 'AccreditedCA'): DistinguishedName {
  return {
    dn: `CN=x,OU=${ou},O=${o},C=KR`,
    cn: 'x',
    attributes: [
      { type: 'O', oid: '2.5.4.10', value: o },
      { type: 'OU', oid: '2.5.4.11', value: ou },
    ],
  };
}

function throwsCode(fn: () => unknown, code: string) {
  assert.throws(fn, (err) => isGongjikError(err) && err.code === code);
}

test('classifies GPKI personal, GPKI special-purpose and EPKI personal by policy OID', () => {
  assert.equal(classifyCertificate({ policies: [POLICY.gpkiPersonal], issuer: GPKI }).class, 'gpki-personal');
  assert.equal(classifyCertificate({ policies: [POLICY.gpkiSpecial], issuer: GPKI }).class, 'gpki-special');
  assert.equal(classifyCertificate({ policies: [POLICY.epkiPersonal], issuer: GPKI }).class, 'epki-personal');
  assert.equal(
    classifyCertificate({ policies: ['1.2.410.100001.2.1.1'], issuer: GPKI }).class,
    'gpki-special',
  );
  assert.equal(
    classifyCertificate({ policies: ['1.2.410.100001.2.1.2'], issuer: GPKI }).class,
    'gpki-special',
  );
});

test('classifies every NPKI licensed-CA policy arc as npki', () => {
  for (const policy of [
    '1.2.410.200005.1.1.1', // yessign personal
    '1.2.410.200005.1.1.4', // yessign banking
    '1.2.410.200004.5.1.1.5', // SignKorea (KOSCOM)
    '1.2.410.200004.5.2.1.2', // signGATE (KICA)
    '1.2.410.200004.5.3.1.9', // NCASign
    '1.2.410.200004.5.4.1.1', // CrossCert
    '1.2.410.200004.5.5.1.1', // INIPASS
    '1.2.410.200012.1.1.1', // TradeSign (KTNET)
  ]) {
    const result = classifyCertificate({ policies: [policy], issuer: GPKI });
    assert.equal(result.class, 'npki', policy);
    assert.equal(result.by, 'policy');
  }
});

test('an NPKI issuer name makes a certificate npki even without an NPKI policy', () => {
  for (const o of ['yessign', 'KICA', 'SignKorea', 'CrossCert', 'TradeSign', 'NCASign', 'INIPASS']) {
    const result = classifyCertificate({ policies: [], issuer: issuerWith(o, 'somewhere') });
    assert.equal(result.class, 'npki', o);
    assert.equal(result.by, 'issuer');
  }
  assert.equal(
    classifyCertificate({ policies: [], issuer: issuerWith('Example', 'AccreditedCA') }).class,
    'npki',
  );
});

test('NPKI evidence wins over a government policy on the same certificate', () => {
  assert.equal(
    classifyCertificate({ policies: [POLICY.gpkiPersonal, POLICY.yessignPersonal], issuer: GPKI }).class,
    'npki',
  );
  assert.equal(
    classifyCertificate({ policies: [POLICY.gpkiPersonal], issuer: issuerWith('yessign') }).class,
    'npki',
  );
});

test('special-purpose wins over personal when a certificate carries both', () => {
  assert.equal(
    classifyCertificate({ policies: [POLICY.gpkiPersonal, POLICY.gpkiSpecial], issuer: GPKI }).class,
    'gpki-special',
  );
});

test('public-institution GPKI policies, other arcs and no policy are unknown', () => {
  assert.equal(classifyCertificate({ policies: ['1.2.410.100001.2.2.2'], issuer: GPKI }).class, 'unknown');
  assert.equal(classifyCertificate({ policies: ['2.5.29.32.0'], issuer: GPKI }).class, 'unknown');
  assert.equal(classifyCertificate({ policies: [], issuer: GPKI }).class, 'unknown');
  // A prefix that only looks like an NPKI arc is not one.
  assert.equal(classifyCertificate({ policies: ['1.2.410.2000050.1'], issuer: GPKI }).class, 'unknown');
});

test('accepts GPKI and EPKI personal certificates for login', () => {
  assertAcceptedForLogin('gpki-personal', { institutional: false });
  assertAcceptedForLogin('epki-personal', { institutional: false });
  assertAcceptedForLogin('gpki-special', { institutional: true });
});

test('refuses an NPKI certificate with ERR_PKI_NPKI_NOT_ACCEPTED, institutional or not', () => {
  throwsCode(() => assertAcceptedForLogin('npki', { institutional: false }), 'ERR_PKI_NPKI_NOT_ACCEPTED');
  throwsCode(() => assertAcceptedForLogin('npki', { institutional: true }), 'ERR_PKI_NPKI_NOT_ACCEPTED');
});

test('refuses a special-purpose certificate outside an institutional mailbox with ERR_PKI_CLASS_NOT_ACCEPTED', () => {
  throwsCode(
    () => assertAcceptedForLogin('gpki-special', { institutional: false }),
    'ERR_PKI_CLASS_NOT_ACCEPTED',
  );
});

test('refuses an unknown class with ERR_PKI_CLASS_NOT_ACCEPTED', () => {
  throwsCode(() => assertAcceptedForLogin('unknown', { institutional: true }), 'ERR_PKI_CLASS_NOT_ACCEPTED');
});

test('describes a GPKI certificate: class, holder name, names, serial, validity, policies, key, fingerprint', async () => {
  const der = await makeCertificate({
    subject: 'CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR',
    issuer: GPKI_ISSUER,
    policies: [POLICY.gpkiPersonal],
    serial: '00ab12',
    notBefore: new Date('2025-03-01T00:00:00Z'),
    notAfter: new Date('2027-03-01T00:00:00Z'),
  });
  const d = await describeCertificate(der);
  assert.equal(d.class, 'gpki-personal');
  assert.equal(d.holderName, '홍길동');
  assert.equal(d.subject.cn, '850홍길동001');
  assert.equal(d.subject.dn, 'CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR');
  assert.equal(d.issuer.dn, GPKI_ISSUER);
  assert.equal(d.issuer.cn, 'CA131100001');
  assert.equal(d.serial, 'ab12');
  assert.deepEqual(d.policies, [POLICY.gpkiPersonal]);
  assert.equal(d.notBefore.toISOString(), '2025-03-01T00:00:00.000Z');
  assert.equal(d.notAfter.toISOString(), '2027-03-01T00:00:00.000Z');
  assert.equal(d.keyAlgorithm, 'rsa');
  assert.equal(d.isCa, false);
  const expected = Buffer.from(await crypto.subtle.digest('SHA-256', der)).toString('hex');
  assert.equal(d.fingerprintSha256, expected);
});

test('describes PEM input the same as DER, and EC keys with their curve', async () => {
  const der = await makeCertificate({
    subject: 'CN=류시원',
    policies: [POLICY.epkiPersonal],
    keys: await testKeys('ec'),
  });
  const fromPem = await describeCertificate(pem(der));
  const fromPemBytes = await describeCertificate(new TextEncoder().encode(pem(der)));
  assert.equal(fromPem.fingerprintSha256, fromPemBytes.fingerprintSha256);
  assert.equal(fromPem.class, 'epki-personal');
  assert.equal(fromPem.holderName, '류시원');
  assert.equal(fromPem.keyAlgorithm, 'ec');
  assert.equal(fromPem.keyAlgorithmDetail.namedCurve, 'P-256');
});

test('a CA certificate has no holder name and isCa true', async () => {
  const der = await makeCertificate({ subject: GPKI_ISSUER, isCa: true });
  const d = await describeCertificate(der);
  assert.equal(d.isCa, true);
  assert.equal(d.holderName, null);
});

test('an NPKI certificate is described as npki with the NPKI holder name', async () => {
  const der = await makeCertificate({
    subject: 'CN=홍길동()0010023400506789012345,OU=personal4IB,OU=XYZ,O=yessign,C=kr',
    issuer: NPKI_ISSUER,
    policies: [POLICY.yessignPersonal],
  });
  const d = await describeCertificate(der);
  assert.equal(d.class, 'npki');
  assert.equal(d.holderName, '홍길동');
});

test('refuses garbage, truncated, oversized and trailing-byte input with ERR_PKI_CERT_MALFORMED', async () => {
  const der = await makeCertificate({ subject: 'CN=x' });
  const cases: (Uint8Array | string)[] = [
    new Uint8Array(0),
    new Uint8Array([1, 2, 3, 4]),
    der.subarray(0, der.byteLength - 10),
    new Uint8Array([...der, 0]),
    new Uint8Array(64 * 1024 + 1).fill(0x30),
    '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----',
    'not a certificate',
    new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]),
  ];
  for (const input of cases) {
    await assert.rejects(
      describeCertificate(input),
      (err) => isGongjikError(err, 'ERR_PKI_CERT_MALFORMED'),
      String(input.length),
    );
  }
});
