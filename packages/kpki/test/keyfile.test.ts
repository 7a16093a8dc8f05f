import assert from 'node:assert/strict';
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import {
  type DecryptedKey,
  decryptKeyFile,
  encryptKeyFile,
  type KeyFileScheme,
  keyFilePem,
  keyFileScheme,
} from '../src/index.ts';
import { DER_NULL, encodeOid, TAG, tlv } from '../src/keyfile/der.ts';
import { encodeKeyFileDer } from '../src/keyfile/params.ts';
import { hex, LEGACY, openssl, opensslSeedSkip, unhex } from './openssl.ts';

const vectors = new URL('vectors/', import.meta.url);
const keyfile = (name: string) => new Uint8Array(readFileSync(new URL(`keyfiles/${name}`, vectors)));

interface Manifest {
  keys: {
    file: string;
    scheme: KeyFileScheme;
    password: string;
    pkcs8: string;
    original?: string;
    keyAlgorithm: 'rsa' | 'ec';
    randomNum?: string;
  }[];
}
const manifest: Manifest = JSON.parse(readFileSync(new URL('keyfiles-openssl.json', vectors), 'utf8'));
const RSA = keyfile('rsa2048.pkcs8.der');
const EC = keyfile('ec-p256.pkcs8.der');
const RSA_WITH_RANDOMNUM = keyfile('rsa2048-randomnum.pkcs8.der');
const SCHEMES: KeyFileScheme[] = ['kisa-seed-sha1', 'kisa-seed-old', 'pbes2-sha256', 'pbes2-sha1'];

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string, label = ''): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    assert.ok(isGongjikError(err), `${label}: not a GongjikError: ${String(err)}`);
    assert.equal(err.code, code, label);
    return;
  }
  assert.fail(`${label}: expected ${code}, nothing was thrown`);
}

async function importable(key: DecryptedKey): Promise<void> {
  const alg =
    key.keyAlgorithm === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  const k = await crypto.subtle.importKey('pkcs8', new Uint8Array(key.pkcs8), alg, false, ['sign']);
  assert.equal(k.type, 'private');
}

describe('key files made independently (OpenSSL + python3, test/vectors/keyfiles-openssl.json)', () => {
  it('covers the three variants for RSA-2048 and EC P-256, PEM, and a randomNum attribute', () => {
    const files = readdirSync(new URL('keyfiles/', vectors)).filter((f) => !f.endsWith('.pkcs8.der'));
    assert.deepEqual(manifest.keys.map((k) => k.file).sort(), files.sort());
    for (const alg of ['rsa', 'ec'] as const) {
      const schemes = new Set(manifest.keys.filter((k) => k.keyAlgorithm === alg).map((k) => k.scheme));
      assert.deepEqual([...schemes].sort(), [...SCHEMES].sort(), alg);
    }
    assert.ok(manifest.keys.some((k) => k.randomNum));
    assert.ok(manifest.keys.some((k) => k.file.endsWith('.pem')));
  });

  for (const v of manifest.keys) {
    it(`reads ${v.file} (${v.scheme})`, async () => {
      const file = keyfile(v.file);
      assert.equal(keyFileScheme(file), v.scheme);
      const key = await decryptKeyFile(file, v.password);
      assert.equal(key.scheme, v.scheme);
      assert.equal(key.keyAlgorithm, v.keyAlgorithm);
      assert.equal(hex(key.pkcs8), hex(keyfile(v.pkcs8)));
      assert.equal(hex(key.original), hex(keyfile(v.original ?? v.pkcs8)));
      assert.equal(key.randomNum && hex(key.randomNum), v.randomNum);
      await importable(key);
    });
  }

  it('refuses a wrong password on every variant with ERR_PKI_BAD_PASSWORD', async () => {
    for (const v of manifest.keys) {
      for (const wrong of [`${v.password}x`, '', v.password.toUpperCase(), v.password.slice(0, -1)]) {
        if (wrong === v.password) continue;
        await rejectsWith(
          decryptKeyFile(keyfile(v.file), wrong),
          'ERR_PKI_BAD_PASSWORD',
          `${v.file} / ${wrong}`,
        );
      }
    }
  });
});

describe('encryptKeyFile / decryptKeyFile', () => {
  for (const scheme of SCHEMES) {
    it(`round-trips RSA and EC keys with ${scheme}`, async () => {
      for (const pkcs8 of [RSA, EC]) {
        const file = await encryptKeyFile(pkcs8, '비밀 pass', { scheme, iterations: 1000 });
        assert.equal(keyFileScheme(file), scheme);
        const key = await decryptKeyFile(file, '비밀 pass');
        assert.equal(hex(key.pkcs8), hex(pkcs8));
        assert.equal(hex(key.original), hex(pkcs8));
        assert.equal(key.randomNum, undefined);
        assert.equal(key.scheme, scheme);
        await rejectsWith(decryptKeyFile(file, '비밀 pasS'), 'ERR_PKI_BAD_PASSWORD', scheme);
      }
    });
  }

  it('defaults to kisa-seed-sha1 with 2048 iterations and an 8-byte salt', async () => {
    const file = await encryptKeyFile(EC, 'pw');
    assert.equal(keyFileScheme(file), 'kisa-seed-sha1');
    assert.ok(hex(file).includes(hex(encodeOid('1.2.410.200004.1.15'))));
    assert.match(hex(file), /0408[0-9a-f]{16}02020800/); // salt OCTET STRING (8) then INTEGER 2048
  });

  it('stores randomNum as the KISA attribute exactly as OpenSSL genconf builds it, and strips it from pkcs8', async () => {
    const randomNum = unhex(manifest.keys.find((k) => k.randomNum)!.randomNum!);
    for (const scheme of SCHEMES) {
      const file = await encryptKeyFile(RSA, 'pw', { scheme, randomNum, iterations: 10 });
      const key = await decryptKeyFile(file, 'pw');
      assert.equal(hex(key.original), hex(RSA_WITH_RANDOMNUM), scheme);
      assert.equal(hex(key.pkcs8), hex(RSA), scheme);
      assert.equal(hex(key.randomNum!), hex(randomNum), scheme);
    }
    // replacing: a key that already has randomNum gets the new value, not two attributes
    const other = randomBytes(20);
    const again = await decryptKeyFile(
      await encryptKeyFile(RSA_WITH_RANDOMNUM, 'pw', { randomNum: other, iterations: 1 }),
      'pw',
    );
    assert.equal(hex(again.randomNum!), hex(other));
    assert.equal(again.original.length, RSA_WITH_RANDOMNUM.length);
  });

  it('uses the salt and iteration count it is given', async () => {
    const salt = unhex('0102030405060708');
    const file = await encryptKeyFile(EC, 'pw', { salt, iterations: 3000 });
    assert.match(hex(file), /0408010203040506070802020bb8/);
    assert.equal(hex((await decryptKeyFile(file, 'pw')).pkcs8), hex(EC));
  });

  it('refuses to encrypt something that is not a PrivateKeyInfo with ERR_PKI_KEY_FILE_MALFORMED', async () => {
    await rejectsWith(encryptKeyFile(randomBytes(100), 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED');
    await rejectsWith(encryptKeyFile(RSA.subarray(0, RSA.length - 1), 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED');
    await assert.rejects(encryptKeyFile(EC, 'pw', { iterations: 0 }), RangeError);
    await assert.rejects(encryptKeyFile(EC, 'pw', { iterations: 10_000_001 }), RangeError);
  });

  it('accepts PEM and writes PEM that reads back', async () => {
    const file = await encryptKeyFile(EC, 'pw', { scheme: 'pbes2-sha256', iterations: 5 });
    const pem = new TextEncoder().encode(keyFilePem(file));
    assert.equal(hex((await decryptKeyFile(pem, 'pw')).pkcs8), hex(EC));
  });

  it('never turns a wrong password into a key (500 wrong passwords, 1 iteration)', async () => {
    const file = await encryptKeyFile(EC, 'right', { iterations: 1 });
    for (let i = 0; i < 500; i++) {
      await rejectsWith(decryptKeyFile(file, `wrong-${i}`), 'ERR_PKI_BAD_PASSWORD', String(i));
    }
  });
});

describe('refusals', () => {
  const good = keyfile('ec-p256-kisa-seed-sha1.key');
  const goodPw = manifest.keys.find((k) => k.file === 'ec-p256-kisa-seed-sha1.key')!.password;

  it('refuses truncated files with ERR_PKI_KEY_FILE_MALFORMED', async () => {
    for (const v of manifest.keys.filter((k) => !k.file.endsWith('.pem'))) {
      const f = keyfile(v.file);
      for (const n of [0, 1, 2, 10, 30, f.length - 17, f.length - 16, f.length - 1]) {
        await rejectsWith(
          decryptKeyFile(f.subarray(0, n), v.password),
          'ERR_PKI_KEY_FILE_MALFORMED',
          `${v.file}@${n}`,
        );
        await rejectsWith(
          () => keyFileScheme(f.subarray(0, n)),
          'ERR_PKI_KEY_FILE_MALFORMED',
          `${v.file}@${n}`,
        );
      }
    }
  });

  it('refuses garbage, trailing bytes and oversized files with ERR_PKI_KEY_FILE_MALFORMED', async () => {
    for (let i = 0; i < 50; i++) {
      await rejectsWith(
        decryptKeyFile(randomBytes(1 + i * 37), 'pw'),
        'ERR_PKI_KEY_FILE_MALFORMED',
        `garbage ${i}`,
      );
    }
    const trailing = new Uint8Array([...good, 0]);
    await rejectsWith(decryptKeyFile(trailing, goodPw), 'ERR_PKI_KEY_FILE_MALFORMED', 'trailing');
    const big = encodeKeyFileDer(
      { scheme: 'kisa-seed-sha1', salt: new Uint8Array(8), iterations: 1 },
      new Uint8Array(64 * 1024),
    );
    await rejectsWith(decryptKeyFile(big, 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED', 'oversized');
    const bigPem = new TextEncoder().encode(keyFilePem(new Uint8Array(50_000)));
    assert.ok(bigPem.length > 64 * 1024);
    await rejectsWith(decryptKeyFile(bigPem, 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED', 'oversized PEM');
    const pem = new TextEncoder().encode(
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\n@@@@\n-----END ENCRYPTED PRIVATE KEY-----\n',
    );
    await rejectsWith(decryptKeyFile(pem, 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED', 'bad PEM');
  });

  it('refuses iteration counts out of bounds and ciphertext that is not whole blocks', async () => {
    const salt = new Uint8Array(8);
    for (const iterations of [0, 10_000_001]) {
      const f = encodeKeyFileDer({ scheme: 'kisa-seed-sha1', salt, iterations }, new Uint8Array(32));
      await rejectsWith(decryptKeyFile(f, 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED', String(iterations));
    }
    for (const len of [0, 15, 33]) {
      const f = encodeKeyFileDer({ scheme: 'kisa-seed-old', salt, iterations: 1 }, new Uint8Array(len));
      await rejectsWith(decryptKeyFile(f, 'pw'), 'ERR_PKI_KEY_FILE_MALFORMED', `length ${len}`);
    }
  });

  it('refuses unknown encryption schemes with ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', async () => {
    const params = tlv(
      TAG.sequence,
      tlv(TAG.octetString, new Uint8Array(8)),
      tlv(TAG.integer, new Uint8Array([8])),
    );
    const file = (alg: Uint8Array) => tlv(TAG.sequence, alg, tlv(TAG.octetString, new Uint8Array(32)));
    // PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC (EPKI-era files), and an arbitrary OID
    const tripleDes = file(tlv(TAG.sequence, encodeOid('1.2.840.113549.1.12.1.3'), params));
    const arbitrary = file(tlv(TAG.sequence, encodeOid('1.2.3.4'), params));
    // PBES2 with AES-256-CBC, and PBES2 + SEED with an HMAC-SHA512 prf
    const pbkdf2 = (prf: Uint8Array[]) =>
      tlv(
        TAG.sequence,
        encodeOid('1.2.840.113549.1.5.12'),
        tlv(
          TAG.sequence,
          tlv(TAG.octetString, new Uint8Array(8)),
          tlv(TAG.integer, new Uint8Array([8])),
          ...prf,
        ),
      );
    const pbes2 = (kdf: Uint8Array, encOid: string) =>
      file(
        tlv(
          TAG.sequence,
          encodeOid('1.2.840.113549.1.5.13'),
          tlv(
            TAG.sequence,
            kdf,
            tlv(TAG.sequence, encodeOid(encOid), tlv(TAG.octetString, new Uint8Array(16))),
          ),
        ),
      );
    const aes = pbes2(pbkdf2([]), '2.16.840.1.101.3.4.1.42');
    const sha512 = pbes2(
      pbkdf2([tlv(TAG.sequence, encodeOid('1.2.840.113549.2.11'), DER_NULL)]),
      '1.2.410.200004.1.4',
    );
    const pemPlain = new TextEncoder().encode(
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    );
    for (const [label, f] of Object.entries({ tripleDes, arbitrary, aes, sha512, pemPlain })) {
      await rejectsWith(decryptKeyFile(f, 'pw'), 'ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', label);
      await rejectsWith(() => keyFileScheme(f), 'ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', label);
    }
    // the control: the same PBES2 shape with SEED and HMAC-SHA256 is understood
    const ok = pbes2(
      pbkdf2([tlv(TAG.sequence, encodeOid('1.2.840.113549.2.9'), DER_NULL)]),
      '1.2.410.200004.1.4',
    );
    assert.equal(keyFileScheme(ok), 'pbes2-sha256');
  });

  it('reports a corrupted last block as ERR_PKI_BAD_PASSWORD, never as a key', async () => {
    for (let i = 1; i <= 16; i++) {
      const f = Uint8Array.from(good);
      f[f.length - i]! ^= 0x5a;
      await rejectsWith(decryptKeyFile(f, goodPw), 'ERR_PKI_BAD_PASSWORD', String(i));
    }
  });
});

// ---- the other way: OpenSSL (and a few lines of PBKDF1 on node:crypto) decrypt what kpki writes ----

/** The OBJECT, INTEGER and [HEX DUMP] values `openssl asn1parse` prints, in order. */
function asn1parse(der: Uint8Array): { objects: string[]; integers: number[]; hexdumps: string[] } {
  const text = openssl(['asn1parse', '-inform', 'DER'], der).toString();
  const objects = [...text.matchAll(/OBJECT\s+:(\S+)/g)].map((m) => m[1]!);
  const integers = [...text.matchAll(/INTEGER\s+:([0-9A-F]+)/g)].map((m) => Number.parseInt(m[1]!, 16));
  const hexdumps = [...text.matchAll(/\[HEX DUMP\]:([0-9A-F]+)/g)].map((m) => m[1]!.toLowerCase());
  return { objects, integers, hexdumps };
}

function opensslSeedDecrypt(key: Uint8Array | Buffer, iv: Uint8Array | Buffer, data: string): Uint8Array {
  return openssl(
    ['enc', '-d', '-seed-cbc', ...LEGACY, '-K', hex(key), '-iv', hex(iv), '-nosalt'],
    unhex(data),
  );
}

describe('key files written by kpki, decrypted by OpenSSL', { skip: opensslSeedSkip }, () => {
  const password = '공직 Test-비번1';
  const randomNum = unhex(manifest.keys.find((k) => k.randomNum)!.randomNum!);

  for (const scheme of ['kisa-seed-sha1', 'kisa-seed-old'] as const) {
    it(`${scheme}: PBKDF1 on node:crypto + openssl enc -d -seed-cbc give back the PrivateKeyInfo`, async () => {
      for (const [pkcs8, expected, opts] of [
        [EC, EC, {}],
        [RSA, RSA_WITH_RANDOMNUM, { randomNum }],
      ] as const) {
        const file = await encryptKeyFile(pkcs8, password, { scheme, ...opts });
        const { objects, integers, hexdumps } = asn1parse(file);
        assert.deepEqual(objects, [scheme === 'kisa-seed-sha1' ? '1.2.410.200004.1.15' : 'seed-cbc']);
        assert.deepEqual(integers, [2048]);
        const [salt, data] = hexdumps as [string, string];
        let dk = createHash('sha1')
          .update(Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from(salt, 'hex')]))
          .digest();
        for (let i = 1; i < 2048; i++) dk = createHash('sha1').update(dk).digest();
        const iv =
          scheme === 'kisa-seed-sha1'
            ? createHash('sha1').update(dk.subarray(16, 20)).digest().subarray(0, 16)
            : Buffer.from('0123456789012345', 'ascii');
        assert.equal(hex(opensslSeedDecrypt(dk.subarray(0, 16), iv, data)), hex(expected));
      }
    });
  }

  for (const [scheme, prf] of [
    ['pbes2-sha256', 'hmacWithSHA256'],
    ['pbes2-sha1', null],
  ] as const) {
    it(`${scheme}: openssl pkcs8 -inform DER decrypts it to the same PrivateKeyInfo`, async () => {
      for (const pkcs8 of [RSA, EC]) {
        const file = await encryptKeyFile(pkcs8, password, { scheme });
        const { objects } = asn1parse(file);
        assert.deepEqual(objects, ['PBES2', 'PBKDF2', ...(prf ? [prf] : []), 'seed-cbc']);
        const out = openssl(
          // -topk8 -nocrypt: write the decrypted key as PKCS#8 (OpenSSL 3.0 would write PKCS#1 / SEC1)
          [
            'pkcs8',
            '-inform',
            'DER',
            '-passin',
            `pass:${password}`,
            '-topk8',
            '-nocrypt',
            '-outform',
            'DER',
            ...LEGACY,
          ],
          file,
        );
        assert.equal(hex(out), hex(pkcs8));
        assert.throws(() => openssl(['pkcs8', '-inform', 'DER', '-passin', 'pass:wrong', ...LEGACY], file));
      }
    });
  }

  it('pbes2 with randomNum: PBKDF2 on node:crypto + openssl enc -d give back the attribute byte for byte', async () => {
    const file = await encryptKeyFile(RSA, password, { scheme: 'pbes2-sha256', randomNum, iterations: 4000 });
    const { integers, hexdumps } = asn1parse(file);
    const [salt, iv, data] = hexdumps as [string, string, string];
    const key = pbkdf2Sync(
      Buffer.from(password, 'utf8'),
      Buffer.from(salt, 'hex'),
      integers[0]!,
      16,
      'sha256',
    );
    assert.equal(integers[0], 4000);
    assert.equal(hex(opensslSeedDecrypt(key, unhex(iv), data)), hex(RSA_WITH_RANDOMNUM));
  });
});

describe('browser safety', () => {
  it('imports nothing from node:* in seed, kdf, sha1 and keyfile/', () => {
    const src = new URL('../src/', import.meta.url);
    const files = [
      'seed.ts',
      'kdf.ts',
      'sha1.ts',
      ...readdirSync(new URL('keyfile/', src)).map((f) => `keyfile/${f}`),
    ];
    assert.ok(files.length >= 8);
    for (const f of files) {
      const text = readFileSync(new URL(f, src), 'utf8');
      assert.doesNotMatch(text, /from\s+['"]node:|require\(|process\.|Buffer\./, f);
    }
  });
});
