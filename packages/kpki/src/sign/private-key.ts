import { GongjikError } from '@gongjik/errors';
import { PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert } from '@peculiar/asn1-schema';
import { own } from '../cert/bytes.ts';
import { namedCurveOf } from '../cert/key-algorithm.ts';
import { OID_EC_PUBLIC_KEY, OID_RSA_ENCRYPTION } from '../cert/oids.ts';
import { cryptoOf, type WebCrypto, type WebCryptoKey } from './webcrypto.ts';

/** What the key-file reader reports (`decryptKeyFile(...).keyAlgorithm`). */
export type PrivateKeyAlgorithm = 'rsa' | 'ec' | 'unknown';

export interface ImportedKeyInfo {
  readonly family: 'rsa' | 'ec';
  /** PKCS#8 without attributes (KISA's randomNum is dropped: WebCrypto engines differ on attributes). */
  readonly pkcs8: Uint8Array<ArrayBuffer>;
  readonly params: { name: 'RSASSA-PKCS1-v1_5'; hash: 'SHA-256' } | { name: 'ECDSA'; namedCurve: 'P-256' };
}

/**
 * Reads a PKCS#8 PrivateKeyInfo and decides how WebCrypto will use it for login signatures:
 * RSA → RSASSA-PKCS1-v1_5 SHA-256, EC P-256 → ECDSA SHA-256. Malformed → ERR_PKI_KEY_FILE_MALFORMED;
 * anything else → ERR_PKI_ALGORITHM_UNSUPPORTED.
 */
export function inspectPrivateKey(pkcs8: Uint8Array, declared?: PrivateKeyAlgorithm): ImportedKeyInfo {
  let info: PrivateKeyInfo;
  try {
    info = AsnConvert.parse(own(pkcs8), PrivateKeyInfo);
  } catch (err) {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED', {}, { cause: err });
  }
  const oid = info.privateKeyAlgorithm.algorithm;
  let family: 'rsa' | 'ec';
  let params: ImportedKeyInfo['params'];
  if (oid === OID_RSA_ENCRYPTION) {
    family = 'rsa';
    params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else if (oid === OID_EC_PUBLIC_KEY) {
    const curve = namedCurveOf(info.privateKeyAlgorithm.parameters);
    if (curve !== 'P-256')
      throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: `EC ${curve ?? '?'}` });
    family = 'ec';
    params = { name: 'ECDSA', namedCurve: 'P-256' };
  } else {
    throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: oid });
  }
  if (declared !== undefined && declared !== 'unknown' && declared !== family) {
    throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', {
      algorithm: `${declared} declared, ${family} found`,
    });
  }
  const stripped = new PrivateKeyInfo({
    version: info.version,
    privateKeyAlgorithm: info.privateKeyAlgorithm,
    privateKey: info.privateKey,
  });
  return { family, params, pkcs8: own(new Uint8Array(AsnConvert.serialize(stripped))) };
}

export interface ImportPrivateKeyOptions {
  readonly crypto?: WebCrypto;
  /** Default false: the key cannot be exported from the CryptoKey. */
  readonly extractable?: boolean;
}

/**
 * Imports a decrypted PKCS#8 key (from `decryptKeyFile`) as a WebCrypto signing key.
 * `keyAlgorithm` is what the key-file reader said; it is checked against the key itself.
 */
export async function importPrivateKey(
  pkcs8: Uint8Array,
  keyAlgorithm?: PrivateKeyAlgorithm,
  options: ImportPrivateKeyOptions = {},
): Promise<WebCryptoKey> {
  const info = inspectPrivateKey(pkcs8, keyAlgorithm);
  try {
    return await cryptoOf(options.crypto).subtle.importKey(
      'pkcs8',
      info.pkcs8,
      info.params,
      options.extractable ?? false,
      ['sign'],
    );
  } catch (err) {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED', {}, { cause: err });
  }
}
