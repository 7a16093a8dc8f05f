import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { getListFromStatusListJWT, StatusList as ReferenceStatusList } from '@sd-jwt/jwt-status-list';
import {
  allocateStatusIndex,
  checkStatus,
  generateIssuerKey,
  StatusIndexAllocator,
  StatusList,
  signStatusListToken,
  toJwks,
  verifyStatusListToken,
} from '../src/index.ts';
import { at, NOW, rejectsWith, STATUS_URI } from './fixtures.ts';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors/draft-ietf-oauth-status-list.examples.json', import.meta.url), 'utf8'),
) as { examples: { bits: 1 | 2; lst: string; statuses: number[] }[] };

const issuerKey = await generateIssuerKey();
const jwks = toJwks([issuerKey]);

describe('Token Status List', () => {
  it('decodes the draft example lists (1 and 2 bits per entry)', async () => {
    for (const ex of vectors.examples) {
      const list = await StatusList.fromClaim({ bits: ex.bits, lst: ex.lst });
      assert.deepEqual(
        ex.statuses.map((_, i) => list.get(i)),
        ex.statuses,
      );
    }
  });

  it('packs entries least-significant bit first, as the draft example does', () => {
    const ex = vectors.examples[1]!;
    const list = new StatusList(ex.statuses.length, 2);
    for (const [i, v] of ex.statuses.entries()) list.set(i, v);
    assert.deepEqual([...list.bytes], [0xc9, 0x44, 0xf9]);
  });

  it('round-trips a large list through ZLIB compression', async () => {
    const list = new StatusList(2 ** 16);
    const alloc = new StatusIndexAllocator(list.size);
    const marks = new Map<number, number>();
    for (let i = 0; i < 500; i++) marks.set(alloc.allocate(), 1 + (i % 2));
    for (const [idx, v] of marks) list.set(idx, v);
    const claim = await list.toClaim();
    assert.equal(
      inflateSync(Buffer.from(claim.lst, 'base64url')).length,
      list.bytes.length,
      'zlib, per the draft',
    );
    const back = await StatusList.fromClaim(claim);
    assert.deepEqual(back.bytes, list.bytes);
    for (const [idx, v] of marks) assert.equal(back.get(idx), v);
  });

  it('is decoded identically by an independent implementation (@sd-jwt/jwt-status-list)', async () => {
    const list = new StatusList(4096);
    list.set(7, 1);
    list.set(4095, 2);
    list.set(1000, 3);
    const ref = ReferenceStatusList.decompressStatusList(await list.compress(), 2);
    for (const i of [0, 7, 1000, 4095, 4094]) assert.equal(ref.getStatus(i), list.get(i), `entry ${i}`);
    const token = await signStatusListToken({
      list,
      uri: STATUS_URI,
      issuerKey,
      now: NOW,
      ttlSeconds: 300,
      validSeconds: 3600,
    });
    assert.equal(getListFromStatusListJWT(token).getStatus(4095), 2);
  });

  it('allocates random, distinct indexes across the whole range', () => {
    const size = 2 ** 20;
    const alloc = new StatusIndexAllocator(size);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(alloc.allocate());
    assert.equal(seen.size, 2000, 'no collisions');
    const sorted = [...seen].sort((a, b) => a - b);
    assert.ok(sorted[0]! < size / 8 && sorted.at(-1)! > (size * 7) / 8, 'spread over the range');
    const increasing = [...seen].every((v, i, a) => i === 0 || v > a[i - 1]!);
    assert.ok(!increasing, 'not sequential');
  });

  it('fills a small list completely, then refuses with ERR_MID_STATUS_LIST_FULL', async () => {
    const alloc = new StatusIndexAllocator(64);
    const got = new Set(Array.from({ length: 64 }, () => alloc.allocate()));
    assert.equal(got.size, 64);
    await rejectsWith(() => alloc.allocate(), 'ERR_MID_STATUS_LIST_FULL');
    assert.throws(() => allocateStatusIndex(() => true, 8), { code: 'ERR_MID_STATUS_LIST_FULL' });
  });

  it('signs a statuslist+jwt with sub, iat, exp, ttl and status_list, and verifies it', async () => {
    const list = new StatusList(1024);
    list.set(5, 2);
    const token = await signStatusListToken({
      list,
      uri: STATUS_URI,
      issuerKey,
      now: NOW,
      ttlSeconds: 300,
      validSeconds: 86_400,
    });
    const [h, p] = token.split('.');
    assert.equal(JSON.parse(Buffer.from(h!, 'base64url').toString()).typ, 'statuslist+jwt');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    assert.deepEqual(Object.keys(payload).sort(), ['exp', 'iat', 'status_list', 'sub', 'ttl']);
    assert.equal(payload.status_list.bits, 2);
    const verified = await verifyStatusListToken(token, { issuerKeys: jwks, uri: STATUS_URI, now: NOW });
    assert.equal(verified.ttl, 300);
    assert.equal(verified.list.get(5), 2);
  });

  it('refuses a status list token that is forged, for another URI, or expired', async () => {
    const list = new StatusList(1024);
    const token = await signStatusListToken({
      list,
      uri: STATUS_URI,
      issuerKey,
      now: NOW,
      ttlSeconds: 300,
      validSeconds: 3600,
    });
    const other = await generateIssuerKey();
    await rejectsWith(
      () =>
        verifyStatusListToken(token, {
          issuerKeys: toJwks([
            { ...other, kid: issuerKey.kid, publicJwk: { ...other.publicJwk, kid: issuerKey.kid } },
          ]),
          uri: STATUS_URI,
          now: NOW,
        }),
      'ERR_MID_SIGNATURE_INVALID',
    );
    await rejectsWith(
      () =>
        verifyStatusListToken(token, { issuerKeys: jwks, uri: 'https://id.gongjik.test/status/2', now: NOW }),
      'ERR_MID_MALFORMED',
    );
    await rejectsWith(
      () => verifyStatusListToken(token, { issuerKeys: jwks, uri: STATUS_URI, now: at(3601) }),
      'ERR_MID_STATUS_LIST_STALE',
    );
  });

  it('refuses a list that inflates beyond the bound (decompression bomb)', async () => {
    const big = new StatusList(2 ** 20);
    await rejectsWith(
      async () => StatusList.fromClaim({ bits: 2, lst: await big.compress() }, 2 ** 16),
      'ERR_MID_MALFORMED',
    );
  });

  it('maps entries to VALID, SUSPENDED and INVALID, and a missing list to ERR_MID_STATUS_UNKNOWN', async () => {
    const list = new StatusList(16);
    list.set(1, 1);
    list.set(2, 2);
    list.set(3, 3);
    const cached = { uri: STATUS_URI, list, iat: 0, exp: 2 ** 40, ttl: 300 };
    const claim = (idx: number, uri = STATUS_URI) => ({ status_list: { idx, uri } });
    assert.deepEqual(checkStatus(claim(0), cached, 1), { idx: 0, uri: STATUS_URI });
    assert.throws(() => checkStatus(claim(1), cached, 1), { code: 'ERR_MID_STATUS_INVALID' });
    assert.throws(() => checkStatus(claim(2), cached, 1), { code: 'ERR_MID_STATUS_SUSPENDED' });
    assert.throws(() => checkStatus(claim(3), cached, 1), { code: 'ERR_MID_STATUS_INVALID' });
    assert.throws(() => checkStatus(claim(16), cached, 1), { code: 'ERR_MID_STATUS_UNKNOWN' });
    assert.throws(() => checkStatus(claim(0, 'https://elsewhere'), [cached], 1), {
      code: 'ERR_MID_STATUS_UNKNOWN',
    });
    assert.throws(() => checkStatus(claim(0), { ...cached, exp: 1 }, 1), {
      code: 'ERR_MID_STATUS_LIST_STALE',
    });
  });
});
