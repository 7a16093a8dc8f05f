export { compareBytes, concatBytes, equalBytes, fromBase64, own, toHex } from './bytes.ts';
export {
  assertAcceptedForLogin,
  CERTIFICATE_CLASSES,
  type CertificateClass,
  type Classification,
  classifyCertificate,
  GOVERNMENT_POLICIES,
  isNpkiIssuer,
  type LoginAcceptance,
  NPKI_POLICY_ARCS,
  npkiCaOfPolicy,
} from './classify.ts';
export { type CertificateDescription, type DescribeOptions, describeCertificate } from './describe.ts';
export { attributeValues, type DistinguishedName, type NameAttribute, readName } from './dn.ts';
export { type KeyAlgorithm, type KeyAlgorithmName, keyAlgorithmOf, namedCurveOf } from './key-algorithm.ts';
export {
  compareNames,
  extractHolderName,
  type NameDifference,
  type NameMismatchReason,
  nameDifference,
} from './names.ts';
export { type CertificateInput, certificateDer, MAX_CERTIFICATE_BYTES, parseCertificate } from './parse.ts';
