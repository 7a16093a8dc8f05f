import { b64u, utf8 } from './bytes.ts';

/** SHA-256 via WebCrypto. */
export async function sha256(data: Uint8Array<ArrayBuffer> | string): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

/** base64url(SHA-256(ASCII(text))) — the digest SD-JWT uses for disclosures and sd_hash. */
export async function sha256B64u(text: string): Promise<string> {
  return b64u(await sha256(text));
}
