import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { seedCbcDecrypt, seedCbcEncrypt, seedDecryptBlock, seedEncryptBlock } from '../src/seed.ts';
import { hex, LEGACY, openssl, opensslSeedSkip, unhex } from './openssl.ts';

interface BlockVector {
  key: string;
  plaintext: string;
  ciphertext: string;
}
interface CbcVector extends BlockVector {
  length: number;
  iv: string;
}
const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]!);
const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`vectors/${name}`, import.meta.url), 'utf8'));
const rfc = load<{ vectors: BlockVector[] }>('seed-rfc4269-appendix-b.json').vectors;
const cbc = load<{ vectors: CbcVector[] }>('seed-cbc-openssl.json').vectors;

describe('SEED block cipher (RFC 4269)', () => {
  it('encrypts the RFC 4269 Appendix B vectors', () => {
    assert.equal(rfc.length, 4);
    for (const v of rfc) assert.equal(hex(seedEncryptBlock(unhex(v.key), unhex(v.plaintext))), v.ciphertext);
  });

  it('decrypts the RFC 4269 Appendix B vectors', () => {
    for (const v of rfc) assert.equal(hex(seedDecryptBlock(unhex(v.key), unhex(v.ciphertext))), v.plaintext);
  });

  it('refuses keys and blocks that are not 16 bytes', () => {
    assert.throws(() => seedEncryptBlock(new Uint8Array(15), new Uint8Array(16)), RangeError);
    assert.throws(() => seedEncryptBlock(new Uint8Array(16), new Uint8Array(17)), RangeError);
    assert.throws(() => seedCbcEncrypt(new Uint8Array(16), new Uint8Array(8), new Uint8Array(1)), RangeError);
  });
});

describe('SEED-CBC with PKCS#7 padding', () => {
  it('agrees byte for byte with the committed OpenSSL vectors (empty, 15, 16, 17 … 1000 bytes)', () => {
    assert.deepEqual(
      cbc.map((v) => v.length),
      [0, 1, 15, 16, 17, 31, 32, 33, 64, 1000],
    );
    for (const v of cbc) {
      assert.equal(
        hex(seedCbcEncrypt(unhex(v.key), unhex(v.iv), unhex(v.plaintext))),
        v.ciphertext,
        `len ${v.length}`,
      );
      const back = seedCbcDecrypt(unhex(v.key), unhex(v.iv), unhex(v.ciphertext));
      assert.ok(back);
      assert.equal(hex(back), v.plaintext, `len ${v.length}`);
    }
  });

  it('returns null for bad padding, a partial block, or empty input instead of garbage', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const ct = seedCbcEncrypt(key, iv, new Uint8Array(40).fill(0x41));
    assert.equal(seedCbcDecrypt(key, iv, ct.subarray(0, ct.length - 1)), null);
    assert.equal(seedCbcDecrypt(key, iv, new Uint8Array(0)), null);
    // a one-block ciphertext whose plaintext ends in 0x00 or 0x11 (both invalid padding)
    const blockFor = (plain: Uint8Array) => seedEncryptBlock(key, xor(plain, iv));
    assert.equal(hex(seedCbcDecrypt(key, iv, blockFor(new Uint8Array(16).fill(16)))!), '');
    for (const badPad of [0, 17])
      assert.equal(seedCbcDecrypt(key, iv, blockFor(new Uint8Array(16).fill(badPad))), null);
    // inconsistent padding bytes (…, 0x01, 0x02) are refused
    const pad = new Uint8Array(16).fill(2);
    pad[14] = 1;
    assert.equal(seedCbcDecrypt(key, iv, blockFor(pad)), null);
    // a wrong key almost never yields valid padding on a multi-block message
    const wrong = randomBytes(16);
    const fromWrong = seedCbcDecrypt(wrong, iv, ct);
    assert.ok(fromWrong === null || hex(fromWrong) !== hex(new Uint8Array(40).fill(0x41)));
  });

  it('agrees with the live openssl enc -seed-cbc on random inputs', { skip: opensslSeedSkip }, () => {
    for (const n of [0, 5, 16, 47, 300]) {
      const key = randomBytes(16);
      const iv = randomBytes(16);
      const pt = randomBytes(n);
      const args = ['enc', '-seed-cbc', ...LEGACY, '-K', hex(key), '-iv', hex(iv), '-nosalt'];
      const fromOpenssl = openssl(args, pt);
      assert.equal(hex(seedCbcEncrypt(key, iv, pt)), hex(fromOpenssl), `len ${n}`);
      const ours = seedCbcEncrypt(key, iv, pt);
      assert.equal(hex(openssl([...args.slice(0, 1), '-d', ...args.slice(1)], ours)), hex(pt), `len ${n}`);
    }
  });
});
