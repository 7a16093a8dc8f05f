import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MAX_ITERATIONS, type Pbkdf2Hash, pbkdf1Sha1, pbkdf2 } from '../src/kdf.ts';
import { sha1 } from '../src/sha1.ts';
import { hex, unhex } from './openssl.ts';

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`vectors/${name}`, import.meta.url), 'utf8'));
const ascii = (s: string) => new TextEncoder().encode(s);

describe('SHA-1 (synchronous, for PBKDF1)', () => {
  it('matches the FIPS 180 examples', () => {
    assert.equal(hex(sha1(ascii(''))), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
    assert.equal(hex(sha1(ascii('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(
      hex(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
    assert.equal(hex(sha1(new Uint8Array(1_000_000).fill(0x61))), '34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('agrees with node:crypto on every length across the padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      assert.equal(hex(sha1(data)), createHash('sha1').update(data).digest('hex'), `length ${n}`);
    }
  });
});

describe('PBKDF1-SHA1 (KISA)', () => {
  const vectors = load<{ vectors: { password: string; salt: string; iterations: number; dk: string }[] }>(
    'pbkdf1-sha1-python.json',
  ).vectors;

  it('matches the vectors computed with python hashlib, UTF-8 passwords included', () => {
    assert.ok(vectors.some((v) => /[가-힣]/.test(v.password)));
    for (const v of vectors) assert.equal(hex(pbkdf1Sha1(v.password, unhex(v.salt), v.iterations)), v.dk);
  });

  it('equals SHA1 applied `iterations` times to password‖salt (node:crypto)', () => {
    const salt = randomBytes(8);
    let t: Buffer = createHash('sha1')
      .update(Buffer.concat([Buffer.from('비번', 'utf8'), salt]))
      .digest();
    for (let i = 1; i < 37; i++) t = createHash('sha1').update(t).digest();
    assert.equal(hex(pbkdf1Sha1('비번', salt, 37)), t.toString('hex'));
  });

  it('refuses iteration counts below 1, above the bound, or not integers', () => {
    for (const n of [0, -1, 1.5, MAX_ITERATIONS + 1, Number.NaN]) {
      assert.throws(() => pbkdf1Sha1('p', new Uint8Array(8), n), RangeError, String(n));
    }
  });
});

describe('PBKDF2 (WebCrypto)', () => {
  const vectors = load<{
    vectors: { hash: Pbkdf2Hash; password: string; salt: string; iterations: number; dk: string }[];
  }>('pbkdf2-rfc6070-rfc7914.json').vectors;

  it('matches RFC 6070 (HMAC-SHA1) and RFC 7914 (HMAC-SHA256)', async () => {
    for (const v of vectors) {
      const dk = await pbkdf2(v.password, ascii(v.salt), v.iterations, v.hash, v.dk.length / 2);
      assert.equal(hex(dk), v.dk, `${v.hash} ${v.iterations}`);
    }
  });

  it('refuses iteration counts out of bounds', async () => {
    await assert.rejects(pbkdf2('p', new Uint8Array(8), 0, 'SHA-256', 16), RangeError);
    await assert.rejects(pbkdf2('p', new Uint8Array(8), MAX_ITERATIONS + 1, 'SHA-1', 16), RangeError);
  });
});
