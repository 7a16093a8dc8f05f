// Path validation throughput: a cached chain (repeated login), a cold validator (every signature and
// the CRL checked), and raw RSA-2048 verification for scale. Prints JSON.
import '../packages/kpki/test/helpers/reflect.ts';
import { createPublicKey, verify } from 'node:crypto';
import {
  createValidator,
  parseCertificateForValidation as parseCertificate,
} from '../packages/kpki/src/index.ts';
import { nodeCrypto } from '../packages/kpki/src/node.ts';
import { TestCa } from '../packages/kpki/test/helpers/pki.ts';

const at = new Date('2025-01-02T00:00:00Z');
const root = await TestCa.root({ keyKind: 'rsa' });
const ca = await root.intermediate({ keyKind: 'rsa', policies: ['2.5.29.32.0'] });
const leaf = await ca.leaf({ policies: ['1.2.410.100001.2.2.1'] });
const crls = [await root.crl(), await ca.crl({ revoked: [{ serial: '0badc0de' }] })];
const options = {
  anchors: [root.der],
  intermediates: [ca.der],
  crls,
  revocation: 'require' as const,
  crypto: nodeCrypto,
};
const validateOptions = {
  at,
  initialPolicies: ['1.2.410.100001.2.2.1'],
  keyUsage: ['digitalSignature' as const],
};

async function rate(ms: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const cached = createValidator(options);
const cachedPerSec = await rate(1000, () => cached.validate(leaf.der, validateOptions));
const coldPerSec = await rate(1000, () => createValidator(options).validate(leaf.der, validateOptions));
const key = createPublicKey({ key: Buffer.from(ca.cert.publicKey.rawData), format: 'der', type: 'spki' });
const parsed = parseCertificate(leaf.der);
const tbs = Buffer.from(parsed.tbs);
const sig = Buffer.from(parsed.signature);
const rawRsaVerifyPerSec = await rate(1000, () => verify('sha256', tbs, key, sig));
console.log(
  JSON.stringify({
    validateCachedPerSec: Math.round(cachedPerSec),
    validateColdPerSec: Math.round(coldPerSec),
    rawRsaVerifyPerSec: Math.round(rawRsaVerifyPerSec),
  }),
);
