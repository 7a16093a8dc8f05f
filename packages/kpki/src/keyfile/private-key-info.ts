// The decrypted PrivateKeyInfo (RFC 5208 / RFC 5958 OneAsymmetricKey): checked strictly (a wrong
// password must never come out as a "key"), its KISA randomNum attribute read, and its attributes
// removed or set.
//
//   PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier,
//     privateKey OCTET STRING, attributes [0] IMPLICIT SET OF Attribute OPTIONAL,
//     publicKey [1] IMPLICIT BIT STRING OPTIONAL (version 1 only) }
import * as asn1js from 'asn1js';
import {
  bigInt,
  bitStringBytes,
  contextItems,
  decode,
  encodeOid,
  isContext,
  type Node,
  octets,
  oid,
  raw,
  sequenceItems,
  setItems,
  smallInt,
  TAG,
  tlv,
} from './der.ts';
import { OID } from './oids.ts';
import type { DecryptedKey } from './types.ts';

export type KeyAlgorithm = DecryptedKey['keyAlgorithm'];

export interface InspectedKey {
  pkcs8: Uint8Array;
  original: Uint8Array;
  randomNum?: Uint8Array;
  keyAlgorithm: KeyAlgorithm;
}

interface Parts {
  version: Node;
  algorithm: Node;
  privateKey: Node;
  attributes: Node[];
  publicKey?: Node;
  keyAlgorithm: KeyAlgorithm;
}

/** RSAPrivateKey (RFC 8017 A.1.2): two-prime version 0 with n = p·q, or multi-prime version 1. */
function isRsaPrivateKey(der: Uint8Array): boolean {
  const items = sequenceItems(decode(der));
  if (!items || items.length < 9) return false;
  const ints = items.slice(0, 9).map(bigInt);
  if (ints.some((v) => v === null)) return false;
  const [version, n, e, d, p, q] = ints as bigint[];
  if (version === 0n && items.length !== 9) return false;
  if (version !== 0n && version !== 1n) return false;
  if (n! <= 0n || e! <= 0n || d! <= 0n || p! <= 1n || q! <= 1n) return false;
  return version === 1n || p! * q! === n;
}

/** ECPrivateKey (RFC 5915): version 1, the private scalar, optional [0] parameters and [1] public key. */
function isEcPrivateKey(der: Uint8Array): boolean {
  const items = sequenceItems(decode(der));
  if (!items || items.length < 2 || items.length > 4 || smallInt(items[0]) !== 1) return false;
  const d = octets(items[1]);
  if (!d || d.length < 16 || d.length > 72) return false;
  let i = 2;
  if (isContext(items[i], 0)) i++;
  if (isContext(items[i], 1)) i++;
  return i === items.length;
}

function parts(der: Uint8Array): Parts | null {
  const items = sequenceItems(decode(der));
  if (!items || items.length < 3 || items.length > 5) return null;
  const [version, algorithm, privateKey] = items as [Node, Node, Node];
  const v = smallInt(version);
  if (v !== 0 && v !== 1) return null;
  const alg = sequenceItems(algorithm);
  const algOid = alg ? oid(alg[0]) : null;
  const key = octets(privateKey);
  if (!alg || alg.length < 1 || alg.length > 2 || algOid === null || !key) return null;
  let attributes: Node[] = [];
  let publicKey: Node | undefined;
  let i = 3;
  if (i < items.length && isContext(items[i], 0)) {
    const attrs = contextItems(items[i], 0);
    if (!attrs || attrs.some((a) => sequenceItems(a) === null)) return null;
    attributes = attrs;
    i++;
  }
  if (i < items.length && isContext(items[i], 1) && v === 1) publicKey = items[i++];
  if (i !== items.length) return null;
  let keyAlgorithm: KeyAlgorithm = 'unknown';
  if (algOid === OID.rsaEncryption) {
    if (!isRsaPrivateKey(key)) return null;
    keyAlgorithm = 'rsa';
  } else if (algOid === OID.ecPublicKey) {
    if (alg.length !== 2 || oid(alg[1]) === null || !isEcPrivateKey(key)) return null;
    keyAlgorithm = 'ec';
  }
  return { version, algorithm, privateKey, attributes, publicKey, keyAlgorithm };
}

function randomNumOf(attributes: Node[]): Uint8Array | undefined {
  for (const a of attributes) {
    const [type, values] = sequenceItems(a) ?? [];
    if (oid(type) !== OID.kisaRandomNum) continue;
    const value = setItems(values)?.[0];
    return bitStringBytes(value) ?? octets(value) ?? undefined;
  }
  return undefined;
}

function assemble(p: Parts, attributes: Uint8Array[]): Uint8Array {
  const body = [raw(p.version), raw(p.algorithm), raw(p.privateKey)];
  if (attributes.length > 0) body.push(tlv(TAG.context0, ...attributes));
  if (p.publicKey) body.push(raw(p.publicKey));
  return tlv(TAG.sequence, ...body);
}

/**
 * Checks that `der` is a PrivateKeyInfo whose key parses (RSA: n = p·q; EC: RFC 5915), and returns
 * it with and without its attributes; null when it is not.
 */
export function inspectPrivateKeyInfo(der: Uint8Array): InspectedKey | null {
  const p = parts(der);
  if (!p) return null;
  const original = Uint8Array.from(der);
  const pkcs8 = p.attributes.length > 0 ? assemble(p, []) : Uint8Array.from(der);
  const randomNum = randomNumOf(p.attributes);
  return randomNum
    ? { pkcs8, original, randomNum, keyAlgorithm: p.keyAlgorithm }
    : { pkcs8, original, keyAlgorithm: p.keyAlgorithm };
}

/** `der` with its randomNum attribute set to `randomNum` (as a BIT STRING); null when `der` is not a PrivateKeyInfo. */
export function withRandomNum(der: Uint8Array, randomNum: Uint8Array): Uint8Array | null {
  const p = parts(der);
  if (!p) return null;
  const others = p.attributes.filter((a) => oid(sequenceItems(a)?.[0]) !== OID.kisaRandomNum).map(raw);
  const bitString = new Uint8Array(new asn1js.BitString({ valueHex: randomNum }).toBER());
  const attribute = tlv(TAG.sequence, encodeOid(OID.kisaRandomNum), tlv(TAG.set, bitString));
  return assemble(p, [...others, attribute]);
}
