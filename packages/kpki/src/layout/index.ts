export { candidateOf, depthOf, matchKey, normalizePath } from './paths.ts';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_ENTRIES,
  expectedKeyPath,
  findCertificates,
  requireKeyPath,
  scanCertificates,
} from './scan.ts';
export type {
  CertificateLayout,
  FoundCertificate,
  PickedFile,
  ScanOptions,
  ScanResult,
  SkippedFile,
} from './types.ts';
