// WebCrypto types without the DOM lib: the same shapes Node's webcrypto and browsers provide.
// Type-only: nothing of node:crypto is loaded at run time.
import type { webcrypto } from 'node:crypto';

export type Crypto = webcrypto.Crypto;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
