// KISA encrypted private-key files: read and write EncryptedPrivateKeyInfo in the three variants
// (seedCBCWithSHA1, old seedCBC, PBES2 + SEED-CBC). Browser-safe: WebCrypto and Uint8Array only.
export { decryptKeyFile } from './decrypt.ts';
export { encryptKeyFile } from './encrypt.ts';
export { MAX_KEY_FILE_BYTES } from './limits.ts';
export { keyFilePem } from './pem.ts';
export { keyFileScheme } from './scheme.ts';
export type { DecryptedKey, EncryptKeyFileOptions, KeyFileScheme } from './types.ts';
