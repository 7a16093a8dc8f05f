// Runs the kpki path validator over the applicable x509-limbo families and compares each verdict
// with the suite's expected_result. Cases we deliberately decide differently are listed, with the
// reason, in limbo-deviations.json; any other disagreement fails, and so does a listed case that
// now agrees (the list stays honest).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createValidator, type KeyUsageName } from '../src/index.ts';
import { nodeCrypto } from '../src/node.ts';

interface LimboCase {
  id: string;
  description: string;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  key_usage: string[];
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  max_chain_depth: number | null;
  crls: string[];
}

const here = new URL('.', import.meta.url);
const limbo = JSON.parse(readFileSync(new URL('vectors/x509-limbo/limbo-applicable.json', here), 'utf8')) as {
  testcases: LimboCase[];
};
const deviations = JSON.parse(readFileSync(new URL('limbo-deviations.json', here), 'utf8')) as Record<
  string,
  string
>;

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----(BEGIN|END) [^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

async function run(c: LimboCase): Promise<{ verdict: 'SUCCESS' | 'FAILURE'; code?: string }> {
  try {
    const validator = createValidator({
      anchors: c.trusted_certs.map(pemToDer),
      intermediates: c.untrusted_intermediates.map(pemToDer),
      crypto: nodeCrypto,
      crls: c.crls.map(pemToDer),
      revocation: c.crls.length > 0 ? 'require' : 'none',
      ...(c.max_chain_depth !== null ? { maxIntermediates: c.max_chain_depth } : {}),
    });
    await validator.validate(pemToDer(c.peer_certificate), {
      at: c.validation_time ? new Date(c.validation_time) : new Date('2024-06-01T00:00:00Z'),
      keyUsage: c.key_usage as KeyUsageName[],
      extKeyUsage: c.extended_key_usage,
    });
    return { verdict: 'SUCCESS' };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!code?.startsWith('ERR_PKI_')) throw err;
    return { verdict: 'FAILURE', code };
  }
}

const results = new Map<string, { agrees: boolean; code?: string | undefined }>();

for (const c of limbo.testcases) {
  test(`x509-limbo ${c.id} → ${c.expected_result}`, async () => {
    const started = performance.now();
    const { verdict, code } = await run(c);
    const elapsed = performance.now() - started;
    results.set(c.id, { agrees: verdict === c.expected_result, code });
    assert.ok(elapsed < 5_000, `took ${Math.round(elapsed)} ms`);
    if (deviations[c.id] !== undefined) return;
    assert.equal(verdict, c.expected_result, `${c.id}: got ${verdict}${code ? ` (${code})` : ''}`);
  });
}

test('x509-limbo: every listed deviation still disagrees, and the pass rate is reported', (t) => {
  for (const id of Object.keys(deviations)) {
    const r = results.get(id);
    assert.ok(r, `deviation ${id} names no applicable case`);
    assert.equal(
      r.agrees,
      false,
      `deviation ${id} now agrees with x509-limbo: remove it from limbo-deviations.json`,
    );
  }
  const passed = [...results.values()].filter((r) => r.agrees).length;
  t.diagnostic(`x509-limbo: ${passed}/${results.size} applicable cases pass`);
  console.log(`x509-limbo: ${passed}/${results.size} applicable cases pass`);
});
