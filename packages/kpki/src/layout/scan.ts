import { GongjikError, isGongjikError } from '@gongjik/errors';
import { describeCertificate } from '../cert/describe.ts';
import { MAX_CERTIFICATE_BYTES } from '../cert/parse.ts';
import { type Candidate, candidateOf, depthOf, matchKey, normalizePath } from './paths.ts';
import type { FoundCertificate, PickedFile, ScanOptions, ScanResult, SkippedFile } from './types.ts';

export const DEFAULT_MAX_DEPTH = 8;
export const DEFAULT_MAX_ENTRIES = 2000;

/**
 * Finds every certificate in a folder the user picked — a drive root, `GPKI`, `NPKI`, `Certificate`,
 * `class2` or an NPKI user folder — in both the GPKI/EPKI layout (`<CN>_sig.cer` + `<CN>_sig.key`,
 * `_env.*`) and the NPKI layout (`NPKI/<CA>/USER/<cn=…>/signCert.der` + `signPri.key`).
 * Browser-safe: works from an in-memory list. Bounded: depth, entry count and file size; a bad file
 * becomes a skipped entry, never a failed scan.
 */
export async function scanCertificates(
  files: readonly PickedFile[],
  options: ScanOptions = {},
): Promise<ScanResult> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const maxFileBytes = Math.min(options.maxFileBytes ?? MAX_CERTIFICATE_BYTES, MAX_CERTIFICATE_BYTES);
  const truncated = files.length > maxEntries;
  const paths = new Map<string, string>();
  const candidates: { candidate: Candidate; file: PickedFile }[] = [];
  const skipped: SkippedFile[] = [];

  for (const file of files.slice(0, maxEntries)) {
    const path = normalizePath(file.path);
    if (path === null) continue;
    paths.set(matchKey(path), path);
    const candidate = candidateOf(path);
    if (!candidate) continue;
    if (depthOf(path) > maxDepth) {
      skipped.push({ path, code: 'ERR_PKI_CERT_MALFORMED', reason: 'too-deep' });
      continue;
    }
    candidates.push({ candidate, file });
  }

  const certificates: FoundCertificate[] = [];
  for (const { candidate, file } of candidates) {
    const path = candidate.certPath;
    if (file.size !== undefined && file.size > maxFileBytes) {
      skipped.push({ path, code: 'ERR_PKI_CERT_MALFORMED', reason: 'too-large' });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await file.read();
    } catch {
      skipped.push({ path, code: 'ERR_PKI_CERT_MALFORMED', reason: 'unreadable' });
      continue;
    }
    if (bytes.byteLength > maxFileBytes) {
      skipped.push({ path, code: 'ERR_PKI_CERT_MALFORMED', reason: 'too-large' });
      continue;
    }
    try {
      const description = await describeCertificate(bytes, { crypto: options.crypto });
      const envCertPath = paths.get(candidate.envCertKey);
      const envKeyPath = paths.get(candidate.envKeyKey);
      certificates.push({
        layout: candidate.layout,
        certPath: path,
        keyPath: paths.get(candidate.keyKey) ?? null,
        ...(envCertPath ? { envCertPath } : {}),
        ...(envKeyPath ? { envKeyPath } : {}),
        description,
      });
    } catch (err) {
      const code = isGongjikError(err) ? err.code : 'ERR_PKI_CERT_MALFORMED';
      const reason =
        isGongjikError(err) && typeof err.details.reason === 'string' ? err.details.reason : 'invalid';
      skipped.push({ path, code, reason });
    }
  }

  certificates.sort(
    (a, b) =>
      a.description.notAfter.getTime() - b.description.notAfter.getTime() ||
      (a.certPath < b.certPath ? -1 : a.certPath > b.certPath ? 1 : 0),
  );
  return { certificates, skipped, truncated };
}

/** Just the certificates of `scanCertificates` (empty array when none). */
export async function findCertificates(
  files: readonly PickedFile[],
  options: ScanOptions = {},
): Promise<FoundCertificate[]> {
  return (await scanCertificates(files, options)).certificates;
}

/** The key file path of a found certificate; ERR_PKI_KEY_FILE_MISSING when there is none beside it. */
export function requireKeyPath(found: Pick<FoundCertificate, 'certPath' | 'keyPath'>): string {
  if (found.keyPath === null)
    throw new GongjikError('ERR_PKI_KEY_FILE_MISSING', { path: expectedKeyPath(found.certPath) });
  return found.keyPath;
}

/** Where the key file of a certificate file should be (`x_sig.cer` → `x_sig.key`, `signCert.der` → `signPri.key`). */
export function expectedKeyPath(certPath: string): string {
  if (/_sig\.cer$/i.test(certPath)) return certPath.replace(/_sig\.cer$/i, '_sig.key');
  return certPath.replace(/signcert\.der$/i, 'signPri.key');
}
