import { constants, createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { CryptoVerifier, HashName } from './validate/crypto.ts';

const HASH: Record<HashName, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const latin1 = new TextDecoder('latin1');
const keys = new Map<string, KeyObject | null>();

function keyOf(spki: Uint8Array): KeyObject | null {
  const k = latin1.decode(spki);
  let key = keys.get(k);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    if (keys.size > 1000) keys.clear();
    keys.set(k, key);
  }
  return key;
}

/**
 * A synchronous node:crypto verifier for the path validator (faster than WebCrypto: no promise per
 * check, parsed public keys cached). Node-only: import from `@gongjik/kpki/node`.
 */
export const nodeCrypto: CryptoVerifier = {
  verify(alg, spki, signature, data) {
    const key = keyOf(spki);
    if (!key) return false;
    try {
      switch (alg.name) {
        case 'RSASSA-PKCS1-v1_5':
          return key.asymmetricKeyType === 'rsa' && verify(HASH[alg.hash], data, key, signature);
        case 'RSA-PSS':
          return verify(
            HASH[alg.hash],
            data,
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength },
            signature,
          );
        case 'ECDSA':
          return (
            key.asymmetricKeyType === 'ec' &&
            verify(HASH[alg.hash], data, { key, dsaEncoding: 'der' }, signature)
          );
        case 'Ed25519':
          return key.asymmetricKeyType === 'ed25519' && verify(null, data, key, signature);
      }
    } catch {
      return false;
    }
  },
  digest(hash, data) {
    return new Uint8Array(createHash(HASH[hash]).update(data).digest());
  },
};
