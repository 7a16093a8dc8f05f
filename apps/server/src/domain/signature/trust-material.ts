// What a verifier of GPKI signatures (the /verify page, `gongjik sign verify`) needs to decide trust
// the way the server does: the CA certificates and CRLs of the trust directory (GONGJIK_TRUST_DIR),
// published as DER/base64. Read from the same files as the login trust store, at most every 10 s.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseCertificateForValidation, parseCrl } from '@gongjik/kpki';
import { derOf, listFiles } from '../auth/trust-store.ts';

export interface TrustMaterial {
  /** self-signed CA certificates (base64 DER) */
  readonly anchors: string[];
  readonly intermediates: string[];
  readonly crls: string[];
}

const CACHE_MS = 10_000;
const cache = new Map<string, { at: number; value: Promise<TrustMaterial> }>();

async function load(dir: string): Promise<TrustMaterial> {
  const out: TrustMaterial = { anchors: [], intermediates: [], crls: [] };
  for (const f of await listFiles(dir)) {
    const bytes = derOf(new Uint8Array(await readFile(f.path)));
    const b64 = Buffer.from(bytes).toString('base64');
    try {
      if (extname(f.path).toLowerCase() === '.crl') {
        parseCrl(bytes);
        out.crls.push(b64);
      } else {
        const cert = parseCertificateForValidation(bytes);
        if (!cert.basicConstraints?.cA) continue;
        (cert.selfIssued ? out.anchors : out.intermediates).push(b64);
      }
    } catch {
      // unreadable files are ignored, as by the trust store
    }
  }
  return out;
}

export function trustMaterial(dir: string, now: number = Date.now()): Promise<TrustMaterial> {
  const hit = cache.get(dir);
  if (hit && now - hit.at < CACHE_MS && now >= hit.at) return hit.value;
  const value = load(dir);
  cache.set(dir, { at: now, value });
  value.catch(() => cache.delete(dir));
  return value;
}
