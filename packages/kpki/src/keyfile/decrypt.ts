import { GongjikError } from '@gongjik/errors';
import { seedCbcDecrypt } from '../seed.ts';
import { deriveKeyAndIv } from './derive.ts';
import { parseKeyFileDer } from './params.ts';
import { keyFileDer } from './pem.ts';
import { inspectPrivateKeyInfo } from './private-key-info.ts';
import type { DecryptedKey } from './types.ts';

/**
 * Decrypts a KISA / PKCS#8 encrypted private-key file (DER or PEM).
 * Throws ERR_PKI_BAD_PASSWORD when the padding or the decrypted PrivateKeyInfo does not check out
 * (with no MAC in these formats, a corrupted ciphertext looks the same), ERR_PKI_KEY_FILE_MALFORMED
 * and ERR_PKI_KEY_ALGORITHM_UNSUPPORTED for the file itself.
 */
export async function decryptKeyFile(file: Uint8Array, password: string): Promise<DecryptedKey> {
  const { params, encryptedData } = parseKeyFileDer(keyFileDer(file));
  const { key, iv } = await deriveKeyAndIv(params, password);
  const plaintext = seedCbcDecrypt(key, iv, encryptedData);
  const inspected = plaintext && inspectPrivateKeyInfo(plaintext);
  if (!inspected) throw new GongjikError('ERR_PKI_BAD_PASSWORD');
  return { ...inspected, scheme: params.scheme };
}
