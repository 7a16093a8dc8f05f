import './helpers/reflect.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { KeyUsageFlags } from '@peculiar/x509';
import { createValidator, type ValidatorOptions } from '../src/index.ts';
import { nodeCrypto } from '../src/node.ts';
import { fakeFetch, makeKey, TestCa } from './helpers/pki.ts';

const AT = new Date('2025-01-02T00:00:00Z');
const GPKI_PERSONAL = '1.2.410.100001.2.2.1';
const EPKI_PERSONAL = '1.2.410.100001.5.3.1.3';

async function refuses(p: Promise<unknown>, code: string): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    assert.ok(isGongjikError(err), `expected a GongjikError, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code} ${JSON.stringify(err.details)}`);
    return err.details as Record<string, unknown>;
  }
  assert.fail(`expected ${code}, but validation succeeded`);
}

async function hierarchy() {
  const root = await TestCa.root();
  const ca = await root.intermediate({ policies: ['2.5.29.32.0'] });
  return { root, ca };
}

function validator(root: TestCa, intermediates: Uint8Array[], extra: Partial<ValidatorOptions> = {}) {
  return createValidator({
    anchors: [root.der],
    intermediates,
    crypto: nodeCrypto,
    revocation: 'none',
    ...extra,
  });
}

describe('path validation', () => {
  test('accepts root → intermediate → leaf and returns the path leaf first with the valid policies', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ policies: [GPKI_PERSONAL] });
    for (const crypto of [nodeCrypto, undefined]) {
      const v = createValidator({
        anchors: [root.der],
        intermediates: [ca.der],
        revocation: 'none',
        ...(crypto ? { crypto } : {}),
      });
      const result = await v.validate(leaf.der, { at: AT, keyUsage: ['digitalSignature'] });
      assert.deepEqual(
        result.path.map((c) => Buffer.from(c.der).toString('hex')),
        [leaf, ca, root].map((c) => Buffer.from(c.der).toString('hex')),
      );
      assert.deepEqual(result.policies, [GPKI_PERSONAL]);
      assert.equal(result.revocation.method, 'none');
    }
  });

  test('verifies RSA PKCS#1 v1.5, RSA-PSS and ECDSA P-384 signatures with node:crypto and WebCrypto', async () => {
    for (const keyKind of ['rsa', 'rsa-pss', 'ec384'] as const) {
      const root = await TestCa.root({ keyKind });
      const ca = await root.intermediate({ keyKind });
      const leaf = await ca.leaf({ keyKind });
      for (const crypto of [nodeCrypto, undefined]) {
        const v = createValidator({
          anchors: [root.der],
          intermediates: [ca.der],
          revocation: 'none',
          ...(crypto ? { crypto } : {}),
        });
        const result = await v.validate(leaf.der, { at: AT });
        assert.equal(result.path.length, 3, keyKind);
      }
    }
  });

  test('refuses a leaf from an unknown root with ERR_PKI_NO_PATH', async () => {
    const { root } = await hierarchy();
    const other = await TestCa.root({ subject: 'CN=Other Root,C=KR' });
    const leaf = await other.leaf();
    await refuses(validator(root, []).validate(leaf.der, { at: AT }), 'ERR_PKI_NO_PATH');
  });

  test('refuses a tampered certificate with ERR_PKI_SIGNATURE_INVALID', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ subject: 'CN=people-tamper,C=KR' });
    const der = leaf.der.slice();
    const at = Buffer.from(der).indexOf('people-tamper');
    der[at] = 'q'.charCodeAt(0);
    const details = await refuses(
      validator(root, [ca.der]).validate(der, { at: AT }),
      'ERR_PKI_SIGNATURE_INVALID',
    );
    assert.equal(details.depth, 0);
  });

  test('refuses an expired leaf with ERR_PKI_CERT_EXPIRED and says which certificate', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ notAfter: new Date('2024-12-31T23:59:59Z') });
    const details = await refuses(
      validator(root, [ca.der]).validate(leaf.der, { at: AT }),
      'ERR_PKI_CERT_EXPIRED',
    );
    assert.equal(details.depth, 0);
  });

  test('refuses an expired intermediate with ERR_PKI_CERT_EXPIRED at depth 1', async () => {
    const root = await TestCa.root();
    const ca = await root.intermediate({ notAfter: new Date('2024-06-01T00:00:00Z') });
    const leaf = await ca.leaf();
    const details = await refuses(
      validator(root, [ca.der]).validate(leaf.der, { at: AT }),
      'ERR_PKI_CERT_EXPIRED',
    );
    assert.equal(details.depth, 1);
  });

  test('refuses a not-yet-valid leaf with ERR_PKI_CERT_NOT_YET_VALID', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ notBefore: new Date('2025-01-02T00:00:01Z') });
    await refuses(validator(root, [ca.der]).validate(leaf.der, { at: AT }), 'ERR_PKI_CERT_NOT_YET_VALID');
  });

  test('refuses an issuer without cA with ERR_PKI_NOT_A_CA', async () => {
    const root = await TestCa.root();
    const notCa = await root.intermediate({
      basicConstraints: { ca: false },
      keyUsage: KeyUsageFlags.digitalSignature,
    });
    const leaf = await notCa.leaf();
    const details = await refuses(
      validator(root, [notCa.der]).validate(leaf.der, { at: AT }),
      'ERR_PKI_NOT_A_CA',
    );
    assert.equal(details.depth, 1);
    const noBc = await root.intermediate({ basicConstraints: null, subject: 'CN=No BC CA,C=KR' });
    await refuses(
      validator(root, [noBc.der]).validate((await noBc.leaf()).der, { at: AT }),
      'ERR_PKI_NOT_A_CA',
    );
  });

  test('refuses a path longer than a pathLenConstraint with ERR_PKI_PATH_LENGTH_EXCEEDED', async () => {
    const root = await TestCa.root();
    const ca1 = await root.intermediate({
      subject: 'CN=CA one,C=KR',
      basicConstraints: { ca: true, pathLen: 0 },
    });
    const ca2 = await ca1.intermediate({ subject: 'CN=CA two,C=KR' });
    const leaf = await ca2.leaf();
    await refuses(
      validator(root, [ca1.der, ca2.der]).validate(leaf.der, { at: AT }),
      'ERR_PKI_PATH_LENGTH_EXCEEDED',
    );
    // One CA below a pathLen 0 CA is fine when it is the last certificate.
    await validator(root, [ca1.der]).validate((await ca1.leaf()).der, { at: AT });
  });

  test('refuses an issuer whose keyUsage lacks keyCertSign with ERR_PKI_KEY_USAGE', async () => {
    const root = await TestCa.root();
    const ca = await root.intermediate({ keyUsage: KeyUsageFlags.cRLSign });
    await refuses(validator(root, [ca.der]).validate((await ca.leaf()).der, { at: AT }), 'ERR_PKI_KEY_USAGE');
  });

  test('refuses a leaf whose keyUsage does not allow the requested use with ERR_PKI_KEY_USAGE', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ keyUsage: KeyUsageFlags.keyEncipherment });
    const v = validator(root, [ca.der]);
    await v.validate(leaf.der, { at: AT, keyUsage: ['keyEncipherment'] });
    await refuses(v.validate(leaf.der, { at: AT, keyUsage: ['digitalSignature'] }), 'ERR_PKI_KEY_USAGE');
  });

  test('refuses a leaf whose extKeyUsage does not allow the requested use with ERR_PKI_EXT_KEY_USAGE', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ extKeyUsage: ['1.3.6.1.5.5.7.3.4'] });
    const v = validator(root, [ca.der]);
    await v.validate(leaf.der, { at: AT, extKeyUsage: ['emailProtection'] });
    await refuses(v.validate(leaf.der, { at: AT, extKeyUsage: ['clientAuth'] }), 'ERR_PKI_EXT_KEY_USAGE');
  });

  test('refuses names outside a CA’s name constraints with ERR_PKI_NAME_CONSTRAINTS', async () => {
    const root = await TestCa.root();
    const ca = await root.intermediate({
      nameConstraints: {
        permitted: [{ dn: 'C=KR,O=Government of Korea' }, { email: '.korea.kr' }],
        excluded: [{ dns: 'evil.korea.kr' }],
      },
    });
    const v = validator(root, [ca.der]);
    await v.validate(
      (
        await ca.leaf({
          subject: 'C=KR,O=Government of Korea,CN=홍길동',
          san: [{ email: 'hong@mois.korea.kr' }],
        })
      ).der,
      { at: AT },
    );
    await refuses(
      v.validate((await ca.leaf({ subject: 'C=KR,O=Some Bank,CN=홍길동' })).der, { at: AT }),
      'ERR_PKI_NAME_CONSTRAINTS',
    );
    await refuses(
      v.validate(
        (
          await ca.leaf({
            subject: 'C=KR,O=Government of Korea,CN=홍길동',
            san: [{ email: 'hong@gmail.com' }],
          })
        ).der,
        { at: AT },
      ),
      'ERR_PKI_NAME_CONSTRAINTS',
    );
    await refuses(
      v.validate(
        (await ca.leaf({ subject: 'C=KR,O=Government of Korea,CN=x', san: [{ dns: 'www.evil.korea.kr' }] }))
          .der,
        { at: AT },
      ),
      'ERR_PKI_NAME_CONSTRAINTS',
    );
  });

  test('refuses a certificate without an acceptable policy with ERR_PKI_POLICY', async () => {
    const root = await TestCa.root();
    const ca = await root.intermediate({ policies: ['2.5.29.32.0'] });
    const v = validator(root, [ca.der]);
    const epki = await ca.leaf({ policies: [EPKI_PERSONAL] });
    const gpki = await ca.leaf({ policies: [GPKI_PERSONAL] });
    assert.deepEqual((await v.validate(gpki.der, { at: AT, initialPolicies: [GPKI_PERSONAL] })).policies, [
      GPKI_PERSONAL,
    ]);
    await refuses(v.validate(epki.der, { at: AT, initialPolicies: [GPKI_PERSONAL] }), 'ERR_PKI_POLICY');
    // A CA that requires an explicit policy refuses a leaf without one, even when the caller asks for none.
    const strict = await root.intermediate({
      subject: 'CN=Strict CA,C=KR',
      policies: ['2.5.29.32.0'],
      policyConstraints: { requireExplicitPolicy: 0 },
    });
    const noPolicy = await strict.leaf();
    await refuses(validator(root, [strict.der]).validate(noPolicy.der, { at: AT }), 'ERR_PKI_POLICY');
  });

  test('follows policy mappings and inhibitAnyPolicy', async () => {
    const root = await TestCa.root();
    const issuerDomain = '1.2.410.100001.9.1';
    const mapping = await root.intermediate({
      policies: [issuerDomain],
      policyMappings: [[issuerDomain, GPKI_PERSONAL]],
    });
    const leaf = await mapping.leaf({ policies: [GPKI_PERSONAL] });
    const result = await validator(root, [mapping.der]).validate(leaf.der, {
      at: AT,
      initialPolicies: [issuerDomain],
    });
    assert.deepEqual(result.policies, [GPKI_PERSONAL]);
    await refuses(
      validator(root, [mapping.der]).validate(leaf.der, { at: AT, initialPolicies: [EPKI_PERSONAL] }),
      'ERR_PKI_POLICY',
    );
    const inhibiting = await root.intermediate({
      subject: 'CN=Inhibit CA,C=KR',
      policies: ['2.5.29.32.0'],
      inhibitAnyPolicy: 0,
    });
    const anyLeaf = await inhibiting.leaf({ policies: ['2.5.29.32.0'] });
    await refuses(
      validator(root, [inhibiting.der]).validate(anyLeaf.der, { at: AT, initialPolicies: [GPKI_PERSONAL] }),
      'ERR_PKI_POLICY',
    );
  });

  test('refuses an unknown critical extension with ERR_PKI_UNKNOWN_CRITICAL_EXTENSION', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({
      extra: [{ oid: '1.2.410.200004.99.1', critical: true, value: new Uint8Array([0x05, 0x00]) }],
    });
    await refuses(
      validator(root, [ca.der]).validate(leaf.der, { at: AT }),
      'ERR_PKI_UNKNOWN_CRITICAL_EXTENSION',
    );
    const fine = await ca.leaf({
      extra: [{ oid: '1.2.410.200004.99.1', critical: false, value: new Uint8Array([0x05, 0x00]) }],
    });
    await validator(root, [ca.der]).validate(fine.der, { at: AT });
  });

  test('refuses bytes that are not a certificate with ERR_PKI_CERT_MALFORMED', async () => {
    const { root } = await hierarchy();
    await refuses(
      validator(root, []).validate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), { at: AT }),
      'ERR_PKI_CERT_MALFORMED',
    );
    await refuses(
      validator(root, []).validate(new TextEncoder().encode('not a certificate'), { at: AT }),
      'ERR_PKI_CERT_MALFORMED',
    );
  });

  test('refuses a signature algorithm it does not know with ERR_PKI_ALGORITHM_UNSUPPORTED', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    // Rewrite ecdsa-with-SHA256 (1.2.840.10045.4.3.2) to an unassigned sibling in both places.
    const hex = Buffer.from(leaf.der)
      .toString('hex')
      .replaceAll('06082a8648ce3d040302', '06082a8648ce3d04037f');
    await refuses(
      validator(root, [ca.der]).validate(new Uint8Array(Buffer.from(hex, 'hex')), { at: AT }),
      'ERR_PKI_ALGORITHM_UNSUPPORTED',
    );
  });

  test('gives up quickly on many look-alike intermediates with ERR_PKI_NO_PATH', async () => {
    const root = await TestCa.root();
    const key = await makeKey('ec');
    // 40 CAs with the same name and key, all cross-signing each other, none reaching the root.
    const fake = await TestCa.root({ subject: 'CN=Look-alike CA,C=KR', key });
    const cas: Uint8Array[] = [];
    for (let i = 0; i < 40; i++)
      cas.push((await fake.intermediate({ subject: 'CN=Look-alike CA,C=KR', key })).der);
    const leaf = await fake.leaf();
    const started = performance.now();
    await refuses(validator(root, cas).validate(leaf.der, { at: AT }), 'ERR_PKI_NO_PATH');
    assert.ok(performance.now() - started < 2_000, 'path search must be bounded');
  });
});

describe('revocation', () => {
  test('refuses a leaf revoked by its issuer’s CRL with ERR_PKI_REVOKED', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    const crls = [await root.crl(), await ca.crl({ revoked: [{ serial: leaf.serial }] })];
    const details = await refuses(
      validator(root, [ca.der], { revocation: 'require', crls }).validate(leaf.der, { at: AT }),
      'ERR_PKI_REVOKED',
    );
    assert.equal(details.depth, 0);
    const good = await ca.leaf();
    const result = await validator(root, [ca.der], { revocation: 'require', crls }).validate(good.der, {
      at: AT,
    });
    assert.equal(result.revocation.method, 'crl');
  });

  test('refuses an expired CRL under revocation "require" with ERR_PKI_CRL_INVALID', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    const crls = [await root.crl(), await ca.crl({ nextUpdate: new Date('2025-01-01T12:00:00Z') })];
    await refuses(
      validator(root, [ca.der], { revocation: 'require', crls }).validate(leaf.der, { at: AT }),
      'ERR_PKI_CRL_INVALID',
    );
    // 'prefer' accepts the certificate without revocation data.
    const soft = await validator(root, [ca.der], { revocation: 'prefer', crls }).validate(leaf.der, {
      at: AT,
    });
    assert.equal(soft.revocation.method, 'none');
  });

  test('refuses a CRL not signed by the issuer, or without a CRL number, with ERR_PKI_CRL_INVALID', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    const forged = await ca.crl({ signWith: await makeKey('ec') });
    await refuses(
      validator(root, [ca.der], { revocation: 'require', crls: [await root.crl(), forged] }).validate(
        leaf.der,
        { at: AT },
      ),
      'ERR_PKI_CRL_INVALID',
    );
    const noNumber = await ca.crl({ crlNumber: null });
    await refuses(
      validator(root, [ca.der], { revocation: 'require', crls: [await root.crl(), noNumber] }).validate(
        leaf.der,
        { at: AT },
      ),
      'ERR_PKI_CRL_INVALID',
    );
    const unknownCritical = await ca.crl({
      extra: [{ oid: '1.2.410.200004.99.2', critical: true, value: new Uint8Array([0x05, 0x00]) }],
    });
    await refuses(
      validator(root, [ca.der], {
        revocation: 'require',
        crls: [await root.crl(), unknownCritical],
      }).validate(leaf.der, { at: AT }),
      'ERR_PKI_CRL_INVALID',
    );
  });

  test('refuses when no revocation data exists under "require" with ERR_PKI_REVOCATION_UNKNOWN', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    await refuses(
      validator(root, [ca.der], { revocation: 'require', crls: [await root.crl()] }).validate(leaf.der, {
        at: AT,
      }),
      'ERR_PKI_REVOCATION_UNKNOWN',
    );
  });

  test('refuses a leaf an OCSP responder reports revoked with ERR_PKI_REVOKED', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ ocspUrl: 'http://ocsp.test/' });
    const fetch = fakeFetch({
      'http://ocsp.test/': await ca.ocspResponse(leaf, {
        status: 'revoked',
        nextUpdate: new Date('2025-01-03T00:00:00Z'),
      }),
    });
    const v = validator(root, [ca.der], { revocation: 'require', crls: [await root.crl()], fetch });
    const details = await refuses(v.validate(leaf.der, { at: AT }), 'ERR_PKI_REVOKED');
    assert.equal(details.method, 'ocsp');
    assert.deepEqual(fetch.calls, ['http://ocsp.test/']);
  });

  test('accepts a good OCSP answer, and refuses a forged one with ERR_PKI_OCSP_INVALID', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ ocspUrl: 'http://ocsp.test/' });
    const good = fakeFetch({
      'http://ocsp.test/': await ca.ocspResponse(leaf, {
        status: 'good',
        nextUpdate: new Date('2025-01-03T00:00:00Z'),
      }),
    });
    const v = validator(root, [ca.der], { revocation: 'require', crls: [await root.crl()], fetch: good });
    const result = await v.validate(leaf.der, { at: AT });
    assert.equal(result.revocation.method, 'ocsp');
    // The OCSP answer is cached until its nextUpdate, even when the chain cache is dropped.
    v.clearCache();
    await v.validate(leaf.der, { at: new Date('2025-01-02T12:00:00Z') });
    assert.equal(good.calls.length, 1);
    await v.validate(leaf.der, { at: new Date('2025-01-03T00:00:01Z') }).catch(() => undefined);
    assert.equal(good.calls.length, 2, 'an expired OCSP answer is fetched anew');
    const forged = fakeFetch({
      'http://ocsp.test/': await ca.ocspResponse(leaf, {
        status: 'good',
        nextUpdate: new Date('2025-01-03T00:00:00Z'),
        signWith: await makeKey('ec'),
      }),
    });
    await refuses(
      validator(root, [ca.der], { revocation: 'require', crls: [await root.crl()], fetch: forged }).validate(
        leaf.der,
        { at: AT },
      ),
      'ERR_PKI_OCSP_INVALID',
    );
  });
});

describe('caching', () => {
  test('a repeated validation is a cache hit and does not fetch again; CRL expiry makes it fetch anew', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf({ crlUrl: 'http://crl.test/ca.crl' });
    let served = await ca.crl({
      thisUpdate: new Date('2025-01-01T00:00:00Z'),
      nextUpdate: new Date('2025-01-08T00:00:00Z'),
      crlNumber: 1,
    });
    const fetch = fakeFetch({ 'http://crl.test/ca.crl': () => served });
    const v = validator(root, [ca.der], {
      revocation: 'require',
      crls: [await root.crl({ nextUpdate: new Date('2026-01-01T00:00:00Z') })],
      fetch,
    });

    await v.validate(leaf.der, { at: AT });
    assert.equal(fetch.calls.length, 1);
    const second = await v.validate(leaf.der, { at: new Date('2025-01-05T00:00:00Z') });
    assert.equal(fetch.calls.length, 1, 'no new fetch while the CRL is current');
    assert.equal(v.stats.chainHits, 1);
    assert.equal(second.revocation.method, 'crl');

    // After nextUpdate the cached chain and CRL are stale: the validator fetches the next CRL, which revokes the leaf.
    served = await ca.crl({
      thisUpdate: new Date('2025-01-08T00:00:00Z'),
      nextUpdate: new Date('2025-01-15T00:00:00Z'),
      crlNumber: 2,
      revoked: [{ serial: leaf.serial, at: new Date('2025-01-07T00:00:00Z') }],
    });
    await refuses(v.validate(leaf.der, { at: new Date('2025-01-09T00:00:00Z') }), 'ERR_PKI_REVOKED');
    assert.equal(fetch.calls.length, 2);
  });

  test('a cached chain expires with the earliest notAfter in it', async () => {
    const root = await TestCa.root();
    const ca = await root.intermediate({ notAfter: new Date('2025-06-01T00:00:00Z') });
    const leaf = await ca.leaf();
    const v = validator(root, [ca.der]);
    await v.validate(leaf.der, { at: AT });
    await v.validate(leaf.der, { at: new Date('2025-05-31T00:00:00Z') });
    assert.equal(v.stats.chainHits, 1);
    await refuses(v.validate(leaf.der, { at: new Date('2025-06-02T00:00:00Z') }), 'ERR_PKI_CERT_EXPIRED');
  });

  test('adding a CRL invalidates cached chains', async () => {
    const { root, ca } = await hierarchy();
    const leaf = await ca.leaf();
    const v = validator(root, [ca.der], { revocation: 'prefer' });
    await v.validate(leaf.der, { at: AT });
    v.addCrl(await ca.crl({ revoked: [{ serial: leaf.serial }] }));
    await refuses(v.validate(leaf.der, { at: AT }), 'ERR_PKI_REVOKED');
  });
});
