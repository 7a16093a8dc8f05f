export type KeyFileScheme =
  | 'kisa-seed-sha1' // 1.2.410.200004.1.15 seedCBCWithSHA1
  | 'kisa-seed-old' // 1.2.410.200004.1.4 seedCBC
  | 'pbes2-sha256' // PBES2: PBKDF2-HMAC-SHA256 + SEED-CBC
  | 'pbes2-sha1'; // PBES2: PBKDF2-HMAC-SHA1 + SEED-CBC

export interface DecryptedKey {
  /** PrivateKeyInfo DER with the attributes removed (importable by WebCrypto importKey('pkcs8')). */
  pkcs8: Uint8Array;
  /** The decrypted PrivateKeyInfo exactly as stored (attributes included). */
  original: Uint8Array;
  /** Value of the KISA randomNum attribute (1.2.410.200004.10.1.1.3), used for VID checks, when present. */
  randomNum?: Uint8Array;
  scheme: KeyFileScheme;
  keyAlgorithm: 'rsa' | 'ec' | 'unknown';
}

export interface EncryptKeyFileOptions {
  /** Default 'kisa-seed-sha1'. */
  scheme?: KeyFileScheme;
  /** Default 2048; 1…10,000,000. */
  iterations?: number;
  /** Default: 8 random bytes for the KISA schemes, 16 for PBES2. */
  salt?: Uint8Array;
  /** Stored as the randomNum attribute (replacing one already there). */
  randomNum?: Uint8Array;
}
