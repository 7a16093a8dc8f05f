export {
  assertKeyMatchesCertificate,
  type ChallengeVerifier,
  type CryptoOption,
  prepareChallengeVerifier,
  signChallenge,
  verifyChallenge,
} from './challenge.ts';
export { type SignCmsInput, signCmsDetached } from './cms-sign.ts';
export { MAX_CMS_BYTES, type VerifiedCms, type VerifiedSigner, verifyCmsDetached } from './cms-verify.ts';
export {
  type DocumentTrust,
  type VerifiedDocumentSignature,
  verifyDocumentSignature,
} from './document.ts';
export {
  type ImportedKeyInfo,
  type ImportPrivateKeyOptions,
  importPrivateKey,
  inspectPrivateKey,
  type PrivateKeyAlgorithm,
} from './private-key.ts';
export {
  ecdsaDerToRaw,
  ecdsaRawToDer,
  type HashName,
  type WebCrypto,
  type WebCryptoKey,
} from './webcrypto.ts';
