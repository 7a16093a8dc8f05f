import { GongjikError } from '@gongjik/errors';
import { isValidIterationCount } from '../kdf.ts';
import { seedCbcEncrypt } from '../seed.ts';
import { deriveKeyAndIv } from './derive.ts';
import { MAX_KEY_FILE_BYTES } from './limits.ts';
import { encodeKeyFileDer, type KeyFileParams } from './params.ts';
import { inspectPrivateKeyInfo, withRandomNum } from './private-key-info.ts';
import type { EncryptKeyFileOptions } from './types.ts';

const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * Encrypts a PrivateKeyInfo (PKCS#8 DER) into a key file (DER EncryptedPrivateKeyInfo), by default
 * KISA seedCBCWithSHA1 with 2048 iterations and an 8-byte random salt, as GPKI/NPKI files are.
 * Throws ERR_PKI_KEY_FILE_MALFORMED when `pkcs8` is not a PrivateKeyInfo whose key parses.
 */
export async function encryptKeyFile(
  pkcs8: Uint8Array,
  password: string,
  opts: EncryptKeyFileOptions = {},
): Promise<Uint8Array> {
  const scheme = opts.scheme ?? 'kisa-seed-sha1';
  const iterations = opts.iterations ?? 2048;
  if (!isValidIterationCount(iterations))
    throw new RangeError('iterations must be an integer in 1…10,000,000');
  const isKisa = scheme === 'kisa-seed-sha1' || scheme === 'kisa-seed-old';
  const salt = opts.salt ?? random(isKisa ? 8 : 16);
  if (salt.length > 1024) throw new RangeError('salt must be at most 1024 bytes');

  if (pkcs8.length > MAX_KEY_FILE_BYTES || !inspectPrivateKeyInfo(pkcs8)) {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
  }
  const plaintext = opts.randomNum ? withRandomNum(pkcs8, opts.randomNum) : pkcs8;
  if (!plaintext) throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');

  let params: KeyFileParams;
  switch (scheme) {
    case 'kisa-seed-sha1':
    case 'kisa-seed-old':
      params = { scheme, salt, iterations };
      break;
    case 'pbes2-sha256':
    case 'pbes2-sha1':
      params = {
        scheme,
        salt,
        iterations,
        hash: scheme === 'pbes2-sha256' ? 'SHA-256' : 'SHA-1',
        iv: random(16),
      };
      break;
    default:
      throw new GongjikError('ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', { algorithm: 'unknown' });
  }
  const { key, iv } = await deriveKeyAndIv(params, password);
  return encodeKeyFileDer(params, seedCbcEncrypt(key, iv, plaintext));
}
