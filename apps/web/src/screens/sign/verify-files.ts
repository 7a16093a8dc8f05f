// What the verification page does with two files, without React: tell a mobile-ID bundle from a
// GPKI CMS, fetch the trust the server publishes (issuer keys, GPKI roots and CRLs), hash the
// document here, and run the same pure verifiers as `gongjik sign verify`.

import { GongjikError } from '@gongjik/errors';
import { type VerifiedDocumentSignature, verifyDocumentSignature } from '@gongjik/kpki';
import {
  documentSha256,
  type IssuerJwks,
  MAX_SIGNATURE_BUNDLE_BYTES,
  type VerifiedSignature,
  verifySignatureBundle,
} from '@gongjik/mobile-id';

export type VerifyOutcome =
  | { readonly kind: 'mobile-id'; readonly result: VerifiedSignature; readonly documentHash: string }
  | { readonly kind: 'gpki'; readonly result: VerifiedDocumentSignature; readonly documentHash: string };

export interface TrustSource {
  issuerKeys(): Promise<IssuerJwks>;
  gpki(): Promise<{ anchors: string[]; intermediates: string[]; crls: string[] }>;
}

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** The server's published trust, read once per page. */
export function serverTrust(): TrustSource {
  let keys: Promise<IssuerJwks> | null = null;
  let gpki: Promise<{ anchors: string[]; intermediates: string[]; crls: string[] }> | null = null;
  return {
    issuerKeys() {
      keys ??= getJson('/api/v1/mid/jwks') as Promise<IssuerJwks>;
      keys.catch(() => {
        keys = null;
      });
      return keys;
    },
    gpki() {
      gpki ??= getJson('/api/v1/sign/trust') as Promise<{
        anchors: string[];
        intermediates: string[];
        crls: string[];
      }>;
      gpki.catch(() => {
        gpki = null;
      });
      return gpki;
    },
  };
}

const MAX_CMS = 1024 * 1024;

/** Standard base64 (the trust endpoint's encoding) → bytes. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** PEM (`-----BEGIN PKCS7-----`) → DER; DER passes through. */
function cmsDer(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (bytes[0] === 0x30) return bytes;
  const text = new TextDecoder().decode(bytes.subarray(0, 4 * MAX_CMS));
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(text);
  if (!m) throw new GongjikError('ERR_SIGN_FILE_UNKNOWN');
  return fromBase64(m[1]!.replace(/\s+/g, ''));
}

export async function verifyFiles(
  signature: Uint8Array<ArrayBuffer>,
  document: Uint8Array<ArrayBuffer>,
  trust: TrustSource,
  now: Date = new Date(),
): Promise<VerifyOutcome> {
  const documentHash = await documentSha256(document);
  const first = signature.find((b) => b > 0x20);
  if (first === 0x7b) {
    if (signature.byteLength > MAX_SIGNATURE_BUNDLE_BYTES)
      throw new GongjikError('ERR_SIGN_BUNDLE_TAMPERED', { part: 'size' });
    const result = await verifySignatureBundle(new TextDecoder().decode(signature), {
      issuerKeys: await trust.issuerKeys(),
      now,
      documentSha256: documentHash,
    });
    return { kind: 'mobile-id', result, documentHash };
  }
  if (signature.byteLength > 4 * MAX_CMS) throw new GongjikError('ERR_SIGN_FILE_UNKNOWN');
  const cms = cmsDer(signature);
  const m = await trust.gpki();
  const result = await verifyDocumentSignature(cms, document, {
    trust: {
      anchors: m.anchors.map(fromBase64),
      intermediates: m.intermediates.map(fromBase64),
      crls: m.crls.map(fromBase64),
    },
    now,
  });
  return { kind: 'gpki', result, documentHash };
}
