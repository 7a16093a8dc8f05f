// SEED, the 128-bit block cipher of KISA (RFC 4269), and SEED-CBC with PKCS#7 padding.
//
// Written here rather than taken from npm: it is small, it must run in the browser (WebCrypto has no
// SEED), and owning it lets the tests pin it byte for byte to RFC 4269 Appendix B and to OpenSSL's
// legacy provider. The S-boxes are computed at load time from their algebraic definition (RFC 4269
// §2 and Appendix A: S1(x) = A1·x^247 ⊕ 169, S2(x) = A2·x^251 ⊕ 56 in GF(2^8) modulo
// x^8+x^6+x^5+x+1) instead of being pasted as 256-entry tables.

const BLOCK = 16;

/** GF(2^8) multiplication modulo x^8 + x^6 + x^5 + x + 1 (0x163). */
function gfMul(a: number, b: number): number {
  let r = 0;
  let x = a;
  for (let y = b; y !== 0; y >>>= 1) {
    if (y & 1) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x163;
  }
  return r;
}

function gfPow(x: number, e: number): number {
  let r = 1;
  let base = x;
  for (let k = e; k !== 0; k >>>= 1) {
    if (k & 1) r = gfMul(r, base);
    base = gfMul(base, base);
  }
  return r;
}

/** Applies an 8×8 binary matrix given by its columns (column j is the image of bit j). */
function affine(columns: readonly number[], v: number, c: number): number {
  let r = c;
  for (let j = 0; j < 8; j++) if ((v >>> j) & 1) r ^= columns[j]!;
  return r;
}

// Columns of the matrices A(1) and A(2) of RFC 4269 Appendix A (bit 0 = least significant).
const A1 = [0x2c, 0xd0, 0x69, 0xc2, 0x41, 0x44, 0x58, 0xe2];
const A2 = [0xd0, 0x2a, 0xe1, 0x2c, 0x21, 0x30, 0xa2, 0x6c];
const M0 = 0xfc;
const M1 = 0xf3;
const M2 = 0xcf;
const M3 = 0x3f;

// SS0..SS3: the G function folded into four 32-bit lookup tables, G(X) = SS0[X0]^SS1[X1]^SS2[X2]^SS3[X3].
const SS0 = new Uint32Array(256);
const SS1 = new Uint32Array(256);
const SS2 = new Uint32Array(256);
const SS3 = new Uint32Array(256);
for (let x = 0; x < 256; x++) {
  const s1 = affine(A1, gfPow(x, 247), 169);
  const s2 = affine(A2, gfPow(x, 251), 56);
  SS0[x] = (((s1 & M3) << 24) | ((s1 & M2) << 16) | ((s1 & M1) << 8) | (s1 & M0)) >>> 0;
  SS1[x] = (((s2 & M0) << 24) | ((s2 & M3) << 16) | ((s2 & M2) << 8) | (s2 & M1)) >>> 0;
  SS2[x] = (((s1 & M1) << 24) | ((s1 & M0) << 16) | ((s1 & M3) << 8) | (s1 & M2)) >>> 0;
  SS3[x] = (((s2 & M2) << 24) | ((s2 & M1) << 16) | ((s2 & M0) << 8) | (s2 & M3)) >>> 0;
}

function g(x: number): number {
  return (SS0[x & 0xff]! ^ SS1[(x >>> 8) & 0xff]! ^ SS2[(x >>> 16) & 0xff]! ^ SS3[x >>> 24]!) >>> 0;
}

/** The 32 round-key words of a 16-byte SEED key (RFC 4269 §2.2). */
export type SeedRoundKeys = Uint32Array;

export function seedExpandKey(key: Uint8Array): SeedRoundKeys {
  if (key.length !== BLOCK) throw new RangeError('SEED key must be 16 bytes');
  const dv = new DataView(key.buffer, key.byteOffset, key.byteLength);
  let k0 = dv.getUint32(0);
  let k1 = dv.getUint32(4);
  let k2 = dv.getUint32(8);
  let k3 = dv.getUint32(12);
  const rk = new Uint32Array(32);
  let kc = 0x9e3779b9;
  for (let i = 0; i < 16; i++) {
    rk[2 * i] = g((k0 + k2 - kc) >>> 0);
    rk[2 * i + 1] = g((k1 - k3 + kc) >>> 0);
    if (i % 2 === 0) {
      // rounds 1, 3, 5…: (K0 || K1) rotated right by 8 bits
      const t = k0;
      k0 = ((k0 >>> 8) | (k1 << 24)) >>> 0;
      k1 = ((k1 >>> 8) | (t << 24)) >>> 0;
    } else {
      // rounds 2, 4, 6…: (K2 || K3) rotated left by 8 bits
      const t = k2;
      k2 = ((k2 << 8) | (k3 >>> 24)) >>> 0;
      k3 = ((k3 << 8) | (t >>> 24)) >>> 0;
    }
    kc = ((kc << 1) | (kc >>> 31)) >>> 0;
  }
  return rk;
}

/** Encrypts or decrypts one 16-byte block in place (`decrypt` runs the round keys backwards). */
function cryptBlock(rk: SeedRoundKeys, b: Uint8Array, off: number, decrypt: boolean): void {
  const dv = new DataView(b.buffer, b.byteOffset + off, BLOCK);
  let l0 = dv.getUint32(0);
  let l1 = dv.getUint32(4);
  let r0 = dv.getUint32(8);
  let r1 = dv.getUint32(12);
  for (let round = 0; round < 16; round++) {
    const k = decrypt ? 15 - round : round;
    // F(K, R)
    let c = (r0 ^ rk[2 * k]!) >>> 0;
    let d = (r1 ^ rk[2 * k + 1]!) >>> 0;
    d = g((d ^ c) >>> 0);
    c = g((c + d) >>> 0);
    d = g((d + c) >>> 0);
    c = (c + d) >>> 0;
    const n0 = (l0 ^ c) >>> 0;
    const n1 = (l1 ^ d) >>> 0;
    if (round < 15) {
      l0 = r0;
      l1 = r1;
      r0 = n0;
      r1 = n1;
    } else {
      l0 = n0;
      l1 = n1;
    }
  }
  dv.setUint32(0, l0);
  dv.setUint32(4, l1);
  dv.setUint32(8, r0);
  dv.setUint32(12, r1);
}

/** SEED-ECB of exactly one block (for test vectors; never use ECB for data). */
export function seedEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  if (block.length !== BLOCK) throw new RangeError('SEED block must be 16 bytes');
  const out = Uint8Array.from(block);
  cryptBlock(seedExpandKey(key), out, 0, false);
  return out;
}

export function seedDecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  if (block.length !== BLOCK) throw new RangeError('SEED block must be 16 bytes');
  const out = Uint8Array.from(block);
  cryptBlock(seedExpandKey(key), out, 0, true);
  return out;
}

function checkIv(iv: Uint8Array): void {
  if (iv.length !== BLOCK) throw new RangeError('SEED-CBC IV must be 16 bytes');
}

/** SEED-CBC with PKCS#7 padding (always adds 1–16 bytes), as `openssl enc -seed-cbc`. */
export function seedCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkIv(iv);
  const rk = seedExpandKey(key);
  const pad = BLOCK - (plaintext.length % BLOCK);
  const out = new Uint8Array(plaintext.length + pad);
  out.set(plaintext);
  out.fill(pad, plaintext.length);
  let prev = iv;
  for (let off = 0; off < out.length; off += BLOCK) {
    for (let i = 0; i < BLOCK; i++) out[off + i]! ^= prev[i]!;
    cryptBlock(rk, out, off, false);
    prev = out.subarray(off, off + BLOCK);
  }
  return out;
}

/**
 * Decrypts SEED-CBC and removes PKCS#7 padding. Returns `null` when the ciphertext is not a whole
 * number of blocks or the padding is not valid — with a key file, as a rule, a wrong password.
 */
export function seedCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  checkIv(iv);
  const rk = seedExpandKey(key);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) return null;
  const out = Uint8Array.from(ciphertext);
  for (let off = out.length - BLOCK; off >= 0; off -= BLOCK) {
    cryptBlock(rk, out, off, true);
    const prev = off === 0 ? iv : ciphertext.subarray(off - BLOCK, off);
    for (let i = 0; i < BLOCK; i++) out[off + i]! ^= prev[i]!;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > BLOCK) return null;
  let bad = 0;
  for (let i = out.length - pad; i < out.length; i++) bad |= out[i]! ^ pad;
  if (bad !== 0) return null;
  return out.slice(0, out.length - pad);
}
