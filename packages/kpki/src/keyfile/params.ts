// EncryptedPrivateKeyInfo (RFC 5958 / PKCS#8) in the three KISA variants: reading the encryption
// algorithm and its parameters, and writing them back.
//
//   1.2.410.200004.1.15 seedCBCWithSHA1   params SEQUENCE { salt OCTET STRING, iterationCount INTEGER }
//   1.2.410.200004.1.4  seedCBC (old)     same parameters
//   1.2.840.113549.1.5.13 PBES2           PBKDF2 (HMAC-SHA1 | HMAC-SHA256) + SEED-CBC (1.2.410.200004.1.4, IV)
//
// Writing PBES2 follows what `openssl pkcs8 -topk8 -v2 seed-cbc` writes: no keyLength, the prf
// omitted for HMAC-SHA1 (the DEFAULT) and given with NULL parameters for HMAC-SHA256.
import { GongjikError } from '@gongjik/errors';
import { isValidIterationCount, type Pbkdf2Hash } from '../kdf.ts';
import {
  DER_NULL,
  decode,
  encodeInt,
  encodeOid,
  isNull,
  type Node,
  octets,
  oid,
  sequenceItems,
  smallInt,
  TAG,
  tlv,
} from './der.ts';
import { MAX_KEY_FILE_BYTES } from './limits.ts';
import { OID } from './oids.ts';

const MAX_SALT_BYTES = 1024;
const SEED_KEY_BYTES = 16;

export interface KisaParams {
  readonly scheme: 'kisa-seed-sha1' | 'kisa-seed-old';
  readonly salt: Uint8Array;
  readonly iterations: number;
}

export interface Pbes2Params {
  readonly scheme: 'pbes2-sha256' | 'pbes2-sha1';
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly hash: Pbkdf2Hash;
  readonly iv: Uint8Array;
}

export type KeyFileParams = KisaParams | Pbes2Params;

export interface ParsedKeyFile {
  readonly params: KeyFileParams;
  readonly encryptedData: Uint8Array;
}

const malformed = () => new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
const unsupported = (algorithm: string | null) =>
  new GongjikError('ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', {
    // an OID is digits and dots; anything longer or odder is not echoed
    algorithm: algorithm && /^[0-9.]{1,64}$/.test(algorithm) ? algorithm : 'unknown',
  });

/** Salt and iteration count, checked against the bounds. */
function saltAndIterations(salt: Uint8Array | null, iterations: number | null) {
  if (!salt || salt.length > MAX_SALT_BYTES || iterations === null) throw malformed();
  if (!isValidIterationCount(iterations)) throw malformed();
  return { salt, iterations };
}

function parseKisaParams(scheme: KisaParams['scheme'], node: Node | undefined): KisaParams {
  const items = sequenceItems(node);
  if (items?.length !== 2) throw malformed();
  return { scheme, ...saltAndIterations(octets(items[0]), smallInt(items[1])) };
}

function parsePbes2Params(node: Node | undefined): Pbes2Params {
  const items = sequenceItems(node);
  if (items?.length !== 2) throw malformed();
  const kdf = sequenceItems(items[0]);
  const enc = sequenceItems(items[1]);
  if (!kdf || !enc || kdf.length < 1 || enc.length < 1) throw malformed();
  const kdfOid = oid(kdf[0]);
  if (kdfOid === null) throw malformed();
  if (kdfOid !== OID.pbkdf2) throw unsupported(kdfOid);
  const encOid = oid(enc[0]);
  if (encOid === null) throw malformed();
  if (encOid !== OID.seedCbc) throw unsupported(encOid);
  const iv = octets(enc[1]);
  if (enc.length !== 2 || !iv || iv.length !== 16) throw malformed();

  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
  //   keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
  const p = sequenceItems(kdf[1]);
  if (kdf.length !== 2 || !p || p.length < 2 || p.length > 4) throw malformed();
  const { salt, iterations } = saltAndIterations(octets(p[0]), smallInt(p[1]));
  let rest = p.slice(2);
  const keyLength = rest.length > 0 ? smallInt(rest[0]) : null;
  if (keyLength !== null) {
    if (keyLength !== SEED_KEY_BYTES) throw malformed();
    rest = rest.slice(1);
  }
  let hash: Pbkdf2Hash = 'SHA-1';
  if (rest.length === 1) {
    const prf = sequenceItems(rest[0]);
    const prfOid = prf ? oid(prf[0]) : null;
    if (!prf || prfOid === null || prf.length > 2 || (prf.length === 2 && !isNull(prf[1]))) throw malformed();
    if (prfOid === OID.hmacWithSha256) hash = 'SHA-256';
    else if (prfOid !== OID.hmacWithSha1) throw unsupported(prfOid);
  } else if (rest.length !== 0) throw malformed();
  return { scheme: hash === 'SHA-256' ? 'pbes2-sha256' : 'pbes2-sha1', salt, iterations, hash, iv };
}

/** Parses DER EncryptedPrivateKeyInfo; throws ERR_PKI_KEY_FILE_MALFORMED or ERR_PKI_KEY_ALGORITHM_UNSUPPORTED. */
export function parseKeyFileDer(der: Uint8Array): ParsedKeyFile {
  if (der.length > MAX_KEY_FILE_BYTES) throw malformed();
  const top = sequenceItems(decode(der));
  if (top?.length !== 2) throw malformed();
  const alg = sequenceItems(top[0]);
  const encryptedData = octets(top[1]);
  if (!alg || alg.length < 1 || alg.length > 2 || !encryptedData) throw malformed();
  const algOid = oid(alg[0]);
  if (algOid === null) throw malformed();
  let params: KeyFileParams;
  if (algOid === OID.kisaSeedCbcWithSha1) params = parseKisaParams('kisa-seed-sha1', alg[1]);
  else if (algOid === OID.seedCbc) params = parseKisaParams('kisa-seed-old', alg[1]);
  else if (algOid === OID.pbes2) params = parsePbes2Params(alg[1]);
  else throw unsupported(algOid);
  // SEED-CBC with padding: a whole, non-zero number of blocks
  if (encryptedData.length === 0 || encryptedData.length % 16 !== 0) throw malformed();
  return { params, encryptedData };
}

/** Writes DER EncryptedPrivateKeyInfo. */
export function encodeKeyFileDer(params: KeyFileParams, encryptedData: Uint8Array): Uint8Array {
  let algorithm: Uint8Array;
  const saltIter = [tlv(TAG.octetString, params.salt), encodeInt(params.iterations)];
  if (!('hash' in params)) {
    const algOid = params.scheme === 'kisa-seed-sha1' ? OID.kisaSeedCbcWithSha1 : OID.seedCbc;
    algorithm = tlv(TAG.sequence, encodeOid(algOid), tlv(TAG.sequence, ...saltIter));
  } else {
    const prf = params.hash === 'SHA-256' ? [tlv(TAG.sequence, encodeOid(OID.hmacWithSha256), DER_NULL)] : [];
    const kdf = tlv(TAG.sequence, encodeOid(OID.pbkdf2), tlv(TAG.sequence, ...saltIter, ...prf));
    const enc = tlv(TAG.sequence, encodeOid(OID.seedCbc), tlv(TAG.octetString, params.iv));
    algorithm = tlv(TAG.sequence, encodeOid(OID.pbes2), tlv(TAG.sequence, kdf, enc));
  }
  return tlv(TAG.sequence, algorithm, tlv(TAG.octetString, encryptedData));
}
