import { GongjikError } from '@gongjik/errors';
import { children, content, decodeOid, readTlv, readWhole, toArrayBuffer } from './der.ts';

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A signature algorithm, resolved from an AlgorithmIdentifier. ECDSA signatures stay DER-encoded. */
export type SignatureAlgorithm =
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: HashName }
  | { readonly name: 'RSA-PSS'; readonly hash: HashName; readonly saltLength: number }
  | { readonly name: 'ECDSA'; readonly hash: HashName }
  | { readonly name: 'Ed25519' };

/**
 * The crypto the validator needs, injected so the same code runs in Node, the browser and tests.
 * `spki` is a DER SubjectPublicKeyInfo; an ECDSA `signature` is DER (as in X.509).
 */
export interface CryptoVerifier {
  verify(
    alg: SignatureAlgorithm,
    spki: Uint8Array,
    signature: Uint8Array,
    data: Uint8Array,
  ): boolean | Promise<boolean>;
  /** Needed only for OCSP (CertID hashes). */
  digest?(hash: HashName, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

const HASH_BY_OID: Record<string, HashName> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const SIMPLE: Record<string, SignatureAlgorithm> = {
  '1.2.840.113549.1.1.5': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { name: 'ECDSA', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA', hash: 'SHA-512' },
  '1.3.101.112': { name: 'Ed25519' },
};

const RSA_PSS = '1.2.840.113549.1.1.10';

/**
 * Resolves a raw AlgorithmIdentifier (DER) to a SignatureAlgorithm, or throws
 * ERR_PKI_ALGORITHM_UNSUPPORTED.
 */
export function signatureAlgorithmOf(algId: Uint8Array): SignatureAlgorithm {
  const seq = readWhole(algId);
  const [oidTlv, params] = children(algId, seq);
  if (oidTlv?.tag !== 0x06) throw new GongjikError('ERR_PKI_CERT_MALFORMED');
  const oid = decodeOid(content(algId, oidTlv));
  const simple = SIMPLE[oid];
  if (simple) return simple;
  if (oid === RSA_PSS && params) return pssParams(algId, params);
  throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: oid });
}

function pssParams(bytes: Uint8Array, params: ReturnType<typeof readTlv>): SignatureAlgorithm {
  let hash: HashName = 'SHA-1';
  let mgfHash: HashName = 'SHA-1';
  let saltLength = 20;
  for (const field of children(bytes, params)) {
    const inner = readTlv(bytes, field.contentStart, field.end);
    if (field.tag === 0xa0) hash = hashOfAlgId(bytes, inner);
    else if (field.tag === 0xa1) {
      const [mgfOid, mgfParams] = children(bytes, inner);
      if (!mgfOid || decodeOid(content(bytes, mgfOid)) !== '1.2.840.113549.1.1.8' || !mgfParams) {
        throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: 'RSA-PSS (MGF)' });
      }
      mgfHash = hashOfAlgId(bytes, mgfParams);
    } else if (field.tag === 0xa2) saltLength = Number(bigIntOf(content(bytes, inner)));
    else if (field.tag === 0xa3 && Number(bigIntOf(content(bytes, inner))) !== 1) {
      throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: 'RSA-PSS (trailer)' });
    }
  }
  if (mgfHash !== hash)
    throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: 'RSA-PSS (MGF hash)' });
  return { name: 'RSA-PSS', hash, saltLength };
}

function hashOfAlgId(bytes: Uint8Array, algId: ReturnType<typeof readTlv>): HashName {
  const [oidTlv] = children(bytes, algId);
  const oid = oidTlv ? decodeOid(content(bytes, oidTlv)) : '';
  const hash = HASH_BY_OID[oid];
  if (!hash) throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: oid || 'hash' });
  return hash;
}

export function bigIntOf(c: Uint8Array): bigint {
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  if (c.length > 0 && ((c[0] as number) & 0x80) !== 0) v -= 1n << BigInt(c.length * 8);
  return v;
}

const CURVES: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

/** The key algorithm OID and (for EC keys) the named curve of a DER SubjectPublicKeyInfo. */
export function spkiAlgorithm(spki: Uint8Array): { oid: string; curve?: { name: string; size: number } } {
  const seq = readWhole(spki);
  const [algId] = children(spki, seq);
  if (!algId) throw new GongjikError('ERR_PKI_CERT_MALFORMED');
  const [oidTlv, params] = children(spki, algId);
  if (!oidTlv) throw new GongjikError('ERR_PKI_CERT_MALFORMED');
  const oid = decodeOid(content(spki, oidTlv));
  if (oid === '1.2.840.10045.2.1') {
    const curveOid = params && params.tag === 0x06 ? decodeOid(content(spki, params)) : '';
    const curve = CURVES[curveOid];
    if (!curve) throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: `EC ${curveOid}` });
    return { oid, curve };
  }
  return { oid };
}

/** Converts a DER ECDSA-Sig-Value to the fixed-width r‖s form WebCrypto expects. */
export function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const seq = readWhole(sig);
    const parts = children(sig, seq);
    if (parts.length !== 2 || seq.tag !== 0x30) return undefined;
    const out = new Uint8Array(size * 2);
    for (let i = 0; i < 2; i++) {
      const part = parts[i] as ReturnType<typeof readTlv>;
      if (part.tag !== 0x02) return undefined;
      let v = content(sig, part);
      while (v.length > 0 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return undefined;
      out.set(v, i * size + (size - v.length));
    }
    return out;
  } catch {
    return undefined;
  }
}

type Subtle = typeof globalThis.crypto.subtle;
type WebKey = Awaited<ReturnType<Subtle['importKey']>>;

/** The default verifier: WebCrypto (`globalThis.crypto.subtle`), in Node and in browsers. */
export function webCryptoVerifier(subtle: Subtle = globalThis.crypto.subtle): CryptoVerifier {
  const keys = new Map<string, Promise<WebKey | undefined>>();
  const importKey = (alg: SignatureAlgorithm, spki: Uint8Array): Promise<WebKey | undefined> => {
    const info = spkiAlgorithm(spki);
    const cacheKey = `${alg.name}/${'hash' in alg ? alg.hash : ''}/${toKeyString(spki)}`;
    const known = keys.get(cacheKey);
    if (known) return known;
    {
      let params: Parameters<Subtle['importKey']>[2];
      if (alg.name === 'ECDSA') params = { name: 'ECDSA', namedCurve: info.curve?.name ?? '' };
      else if (alg.name === 'Ed25519') params = { name: 'Ed25519' };
      else params = { name: alg.name, hash: alg.hash };
      const p = subtle
        .importKey('spki', toArrayBuffer(spki), params, false, ['verify'])
        .catch(() => undefined);
      if (keys.size > 1000) keys.clear();
      keys.set(cacheKey, p);
      return p;
    }
  };
  return {
    async verify(alg, spki, signature, data) {
      const key = await importKey(alg, spki);
      if (!key) return false;
      let sig = signature;
      let params: Parameters<Subtle['verify']>[0] = { name: alg.name };
      if (alg.name === 'ECDSA') {
        const size = spkiAlgorithm(spki).curve?.size ?? 0;
        const rawSig = ecdsaDerToRaw(signature, size);
        if (!rawSig) return false;
        sig = rawSig;
        params = { name: 'ECDSA', hash: alg.hash };
      } else if (alg.name === 'RSA-PSS') params = { name: 'RSA-PSS', saltLength: alg.saltLength };
      try {
        return await subtle.verify(params, key, toArrayBuffer(sig), toArrayBuffer(data));
      } catch {
        return false;
      }
    },
    async digest(hash, data) {
      return new Uint8Array(await subtle.digest(hash, toArrayBuffer(data)));
    },
  };
}

const latin1 = new TextDecoder('latin1');
function toKeyString(b: Uint8Array): string {
  return latin1.decode(b);
}
