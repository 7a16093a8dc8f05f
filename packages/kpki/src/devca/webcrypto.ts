// WebCrypto types without the DOM lib, from the global `crypto` both Node and browsers provide.
export type Crypto = typeof globalThis.crypto;
export type CryptoKey = typeof globalThis.CryptoKey.prototype;
export interface CryptoKeyPair {
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
}
export interface RsaHashedKeyGenParams {
  readonly name: string;
  readonly modulusLength: number;
  readonly publicExponent: Uint8Array;
  readonly hash: string;
}
