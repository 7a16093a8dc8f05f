import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  documentSha256,
  generateIssuerKey,
  MemoryWalletStorage,
  type SignatureBundle,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  signStatusListToken,
  toJwks,
  verifySignatureBundle,
  Wallet,
} from '../src/index.ts';
import { at, CLAIMS, NOW, rejectsWith, SUBJECT } from './fixtures.ts';
import { TestIssuer } from './test-issuer.ts';

const ISSUER = 'https://id.gongjik.test';
let now = NOW;
const clock = () => now;
const issuer = new TestIssuer(ISSUER, await generateIssuerKey(), clock);
const wallet = new Wallet({ storage: new MemoryWalletStorage(), fetch: issuer.fetch, clock });
const offer = issuer.offer(SUBJECT, CLAIMS);
const card = await wallet.install(offer.uri, offer.txCode);
const idx = (card.status as { status_list: { idx: number } }).status_list.idx;

const doc = Buffer.from('2026년 예산 집행 계획(안)\n');
const sha256 = createHash('sha256').update(doc).digest('hex');
const request = { title: '예산 집행 계획', sha256, requestId: 'req-1', audience: 'e-approval' };
// The test issuer has no PIN endpoints: its cards carry no unlock token (checked separately below).
const opts = (extra: Record<string, unknown> = {}) => ({
  issuerKeys: issuer.jwks,
  now: at(30 * 86_400),
  requireUnlock: false,
  ...extra,
});

function editJws(jws: string, edit: (payload: Record<string, unknown>) => void): string {
  const [h, p, s] = jws.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
  edit(payload);
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

describe('document signature bundle', () => {
  it('tells who signed, when, and that the card was valid then — even after it was suspended later', async () => {
    now = NOW;
    const bundle = await wallet.signDocument({ ...request, reason: '결재' });
    assert.equal(bundle.type, 'gongjik-signature');
    issuer.list.set(idx, STATUS_SUSPENDED); // a month later the phone is lost
    try {
      const v = await verifySignatureBundle(JSON.stringify(bundle), opts({ documentSha256: sha256 }));
      assert.deepEqual(v.signer, {
        name: CLAIMS.name,
        employeeNumber: CLAIMS.employee_number,
        agency: CLAIMS.agency.name,
        agencyCode: CLAIMS.agency.code,
      });
      assert.equal(v.signedAt, Math.floor(NOW.getTime() / 1000));
      assert.equal(v.title, '예산 집행 계획');
      assert.equal(v.reason, '결재');
      assert.equal(v.requestId, 'req-1');
      assert.equal(v.audience, 'e-approval');
      assert.equal(v.card.status, 'VALID');
      assert.equal(v.documentMatched, true);
      assert.equal(v.issuer, ISSUER);
    } finally {
      issuer.list.set(idx, STATUS_VALID);
    }
  });

  it('discloses only name, agency and employee number', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    const disclosures = bundle.presentation.split('~').slice(1, -1);
    const names = disclosures.map((d) => JSON.parse(Buffer.from(d, 'base64url').toString())[1]).sort();
    assert.deepEqual(names, ['agency', 'employee_number', 'name']);
  });

  it('hashes documents the same way as node:crypto', async () => {
    assert.equal(await documentSha256(new Uint8Array(doc)), sha256);
  });

  it('refuses a changed document with ERR_SIGN_DOCUMENT_CHANGED', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    const changed = createHash('sha256').update(Buffer.from('2026년 예산 집행 계획(안) \n')).digest('hex');
    await rejectsWith(
      () => verifySignatureBundle(bundle, opts({ documentSha256: changed })),
      'ERR_SIGN_DOCUMENT_CHANGED',
    );
  });

  it('refuses a bundle whose signed title, hash or time was edited with ERR_SIGN_BUNDLE_TAMPERED', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    for (const edit of [
      (p: Record<string, unknown>) => {
        p.title = '변조된 제목';
      },
      (p: Record<string, unknown>) => {
        p.sha256 = 'b'.repeat(64);
      },
      (p: Record<string, unknown>) => {
        p.iat = (p.iat as number) - 3600;
      },
    ]) {
      const altered = { ...bundle, signature: editJws(bundle.signature, edit) };
      await rejectsWith(() => verifySignatureBundle(altered, opts()), 'ERR_SIGN_BUNDLE_TAMPERED');
    }
  });

  it('refuses a presentation taken from another signature with ERR_SIGN_BUNDLE_TAMPERED', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    const other = await wallet.signDocument({ ...request, title: '다른 문서' });
    const swapped: SignatureBundle = { ...bundle, presentation: other.presentation };
    await rejectsWith(() => verifySignatureBundle(swapped, opts()), 'ERR_SIGN_BUNDLE_TAMPERED');
    await rejectsWith(
      () => verifySignatureBundle('{"type":"gongjik-signature"', opts()),
      'ERR_SIGN_BUNDLE_TAMPERED',
    );
    await rejectsWith(() => verifySignatureBundle('{"hello":1}', opts()), 'ERR_SIGN_FILE_UNKNOWN');
    const huge = { ...bundle, padding: 'x'.repeat(300_000) };
    await rejectsWith(() => verifySignatureBundle(huge, opts()), 'ERR_SIGN_BUNDLE_TAMPERED');
  });

  it('refuses a credential of an issuer it does not trust with ERR_SIGN_ISSUER_UNKNOWN', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    const stranger = toJwks([await generateIssuerKey()]);
    await rejectsWith(
      () => verifySignatureBundle(bundle, opts({ issuerKeys: stranger })),
      'ERR_SIGN_ISSUER_UNKNOWN',
    );
  });

  it('refuses a signature made while the card was suspended or invalid with ERR_SIGN_CARD_NOT_VALID', async () => {
    now = NOW;
    for (const [value, status] of [
      [STATUS_SUSPENDED, 'SUSPENDED'],
      [STATUS_INVALID, 'INVALID'],
    ] as const) {
      issuer.list.set(idx, value);
      try {
        const bundle = await wallet.signDocument(request);
        await assert.rejects(
          verifySignatureBundle(bundle, opts()),
          (err: { code?: string; details?: unknown }) => {
            assert.equal(err.code, 'ERR_SIGN_CARD_NOT_VALID');
            assert.deepEqual(err.details, { status });
            return true;
          },
        );
      } finally {
        issuer.list.set(idx, STATUS_VALID);
      }
    }
  });

  it('refuses status evidence older than its ttl at signing time with ERR_SIGN_STATUS_EVIDENCE_STALE', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    // An old list (before a suspension, say) kept and attached to a later signature.
    const old = await signStatusListToken({
      list: issuer.list,
      uri: issuer.statusUri,
      issuer: ISSUER,
      issuerKey: issuer.key,
      now: at(-3600),
      ttlSeconds: 300,
      validSeconds: 86_400,
    });
    await rejectsWith(
      () => verifySignatureBundle({ ...bundle, status: old }, opts()),
      'ERR_SIGN_STATUS_EVIDENCE_STALE',
    );
    const expired = await signStatusListToken({
      list: issuer.list,
      uri: issuer.statusUri,
      issuer: ISSUER,
      issuerKey: issuer.key,
      now: at(-7200),
      ttlSeconds: 300,
      validSeconds: 600,
    });
    await rejectsWith(
      () => verifySignatureBundle({ ...bundle, status: expired }, opts()),
      'ERR_SIGN_STATUS_EVIDENCE_STALE',
    );
  });

  it('refuses status evidence not signed by the issuer with ERR_SIGN_STATUS_EVIDENCE_INVALID', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    const forged = await signStatusListToken({
      list: issuer.list,
      uri: issuer.statusUri,
      issuer: ISSUER,
      issuerKey: { ...(await generateIssuerKey()), kid: issuer.key.kid },
      now: NOW,
      ttlSeconds: 300,
      validSeconds: 86_400,
    });
    await rejectsWith(
      () => verifySignatureBundle({ ...bundle, status: forged }, opts()),
      'ERR_SIGN_STATUS_EVIDENCE_INVALID',
    );
    const unsigned = editJws(bundle.status, (p) => {
      p.iat = (p.iat as number) + 1;
    });
    await rejectsWith(
      () => verifySignatureBundle({ ...bundle, status: unsigned }, opts()),
      'ERR_SIGN_STATUS_EVIDENCE_INVALID',
    );
    const { status: _, ...without } = bundle;
    await rejectsWith(() => verifySignatureBundle(without, opts()), 'ERR_SIGN_STATUS_EVIDENCE_INVALID');
  });

  it('refuses a signature without the issuer-checked PIN when it is required (ERR_SIGN_PIN_NOT_FRESH)', async () => {
    now = NOW;
    const bundle = await wallet.signDocument(request);
    await rejectsWith(
      () => verifySignatureBundle(bundle, opts({ requireUnlock: true })),
      'ERR_SIGN_PIN_NOT_FRESH',
    );
  });

  it('refuses a signing time in the future with ERR_SIGN_TIME_INVALID', async () => {
    now = at(3600);
    const bundle = await wallet.signDocument(request);
    now = NOW;
    await rejectsWith(() => verifySignatureBundle(bundle, opts({ now: NOW })), 'ERR_SIGN_TIME_INVALID');
  });
});
