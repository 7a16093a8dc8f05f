export {
  ANY_POLICY,
  constrainedNames,
  KEY_USAGES,
  type KeyUsageName,
  type ParsedCertificate,
  parseCertificate as parseCertificateForValidation,
} from './cert.ts';
export { type ParsedCrl, parseCrl, type RevokedEntry } from './crl.ts';
export {
  type CryptoVerifier,
  type HashName as SignatureHashName,
  type SignatureAlgorithm,
  signatureAlgorithmOf,
  webCryptoVerifier,
} from './crypto.ts';
export type { DistinguishedName as ValidationDistinguishedName, GeneralName } from './names.ts';
export { buildOcspRequest, type CertIdentity, certIdentity } from './ocsp.ts';
export type { FetchLike, RevocationMode } from './revocation.ts';
export {
  createValidator,
  type ValidateOptions,
  type ValidationResult,
  type Validator,
  type ValidatorOptions,
} from './validator.ts';
