import type { CryptoKey, JWK } from 'jose';
import { exportJWK, importJWK } from 'jose';
import { fail } from '../util/fail.ts';
import { jwkThumbprint, type P256PublicJwk, toP256PublicJwk } from './jwk.ts';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** An issuer signing key: WebCrypto private key, its public JWK and `kid` (a prefix of its JWK thumbprint). */
export interface IssuerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: P256PublicJwk & { kid: string; alg: 'ES256'; use: 'sig' };
}

/** A holder's device key. In the wallet the private key is non-extractable. */
export interface DeviceKey {
  privateKey: CryptoKey;
  publicJwk: P256PublicJwk;
}

/** Exports the minimal public JWK of a P-256 CryptoKey (public, or an extractable private key). */
export async function exportPublicJwk(key: CryptoKey): Promise<P256PublicJwk> {
  const jwk = await exportJWK(key);
  const { kty, crv, x, y } = jwk;
  return toP256PublicJwk({ kty, crv, x, y });
}

/**
 * Makes a P-256 device key. `extractable: false` (the default) keeps the private key inside
 * WebCrypto: it can sign but never be read, not even by the wallet's own code.
 */
export async function generateDeviceKey(options: { extractable?: boolean } = {}): Promise<DeviceKey> {
  const pair = (await globalThis.crypto.subtle.generateKey(ECDSA_P256, options.extractable ?? false, [
    'sign',
    'verify',
  ])) as { publicKey: CryptoKey; privateKey: CryptoKey };
  return { privateKey: pair.privateKey, publicJwk: await exportPublicJwk(pair.publicKey) };
}

/**
 * Makes an issuer key. Extractable by default so the server can store it (encrypted) and reload it
 * with `importIssuerKey`.
 */
export async function generateIssuerKey(options: { extractable?: boolean } = {}): Promise<IssuerKey> {
  const pair = (await globalThis.crypto.subtle.generateKey(ECDSA_P256, options.extractable ?? true, [
    'sign',
    'verify',
  ])) as { publicKey: CryptoKey; privateKey: CryptoKey };
  return issuerKeyOf(pair.privateKey, await exportPublicJwk(pair.publicKey));
}

/** Loads an issuer key from its private JWK (`d` present). */
export async function importIssuerKey(privateJwk: JWK): Promise<IssuerKey> {
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || typeof privateJwk.d !== 'string') {
    fail('ERR_MID_KEY_INVALID');
  }
  const privateKey = await importJWK({ ...privateJwk, alg: 'ES256' }, 'ES256', { extractable: false });
  const { kty, crv, x, y } = privateJwk;
  return issuerKeyOf(privateKey as CryptoKey, toP256PublicJwk({ kty, crv, x, y }));
}

/** Exports an extractable issuer key as a private JWK (for encrypted storage by the server). */
export async function exportIssuerPrivateJwk(key: IssuerKey): Promise<JWK> {
  const jwk = await exportJWK(key.privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d };
}

async function issuerKeyOf(privateKey: CryptoKey, pub: P256PublicJwk): Promise<IssuerKey> {
  // The first 16 characters (96 bits) of the thumbprint: unique among an issuer's keys, and short,
  // since the kid travels in every gate QR.
  const kid = (await jwkThumbprint(pub)).slice(0, 16);
  return { kid, privateKey, publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' } };
}

/** The public JWK Set to publish for `keys` (e.g. at `/.well-known/jwt-vc-issuer`). */
export function toJwks(keys: readonly IssuerKey[]): { keys: IssuerKey['publicJwk'][] } {
  return { keys: keys.map((k) => k.publicJwk) };
}
