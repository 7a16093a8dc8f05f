import type { ErrorCode } from '@gongjik/errors';
import type { CertificateDescription } from '../cert/describe.ts';

/**
 * One file of the folder the user picked. In the browser this wraps a `File` (path =
 * `webkitRelativePath`); in Node, `listCertificatesInDir` makes these from the file system.
 */
export interface PickedFile {
  /** Relative path, `/`-separated (a `\` is accepted too). */
  readonly path: string;
  /** Size in bytes when known before reading (lets the scan skip big files unread). */
  readonly size?: number;
  read(): Promise<Uint8Array>;
}

export type CertificateLayout = 'gpki' | 'npki';

export interface FoundCertificate {
  /** `gpki`: `<CN>_sig.cer` + `<CN>_sig.key` (GPKI and EPKI); `npki`: `signCert.der` + `signPri.key`. */
  readonly layout: CertificateLayout;
  readonly certPath: string;
  /** The private key file beside the certificate, or null when it is missing (see requireKeyPath). */
  readonly keyPath: string | null;
  /** The encryption pair (`_env.cer`/`_env.key`, NPKI `kmCert.der`/`kmPri.key`) when present. */
  readonly envCertPath?: string;
  readonly envKeyPath?: string;
  readonly description: CertificateDescription;
}

export interface SkippedFile {
  readonly path: string;
  readonly code: ErrorCode;
  /** Short machine reason: `too-large`, `too-deep`, `unreadable`, `not-x509`, … */
  readonly reason: string;
}

export interface ScanResult {
  /** Certificates found, soonest expiry first. Empty when none (the caller raises ERR_PKI_NO_CERTIFICATES_FOUND). */
  readonly certificates: FoundCertificate[];
  /** Certificate files that could not be used, with the error code; they never stop the scan. */
  readonly skipped: SkippedFile[];
  /** True when the folder had more entries than the scan looks at. */
  readonly truncated: boolean;
}

export interface ScanOptions {
  /** Directory levels below the picked folder that are searched (default 8). */
  readonly maxDepth?: number;
  /** Entries looked at (default 2000). */
  readonly maxEntries?: number;
  /** Certificate files larger than this are skipped unread (default 64 KiB). */
  readonly maxFileBytes?: number;
  /** WebCrypto for fingerprints; defaults to globalThis.crypto. */
  readonly crypto?: typeof globalThis.crypto;
}
