// @gongjik/mobile-id — runs in Node and the browser (no node:* imports here; see ./node.ts).

export * from './gate/auth.ts';
export * from './gate/format.ts';
export { type IssueGateCredentialInput, issueGateCredential } from './gate/issue.ts';
export {
  applyGatePolicy,
  type GatePolicy,
  type GateRule,
  localTime,
  MAX_GATE_RULES,
  parseGatePolicy,
} from './gate/policy.ts';
export { createGateQr, type GateQrInput } from './gate/proof.ts';
export {
  decide,
  decideAtGate,
  type GateBundle,
  type GateDecision,
  type GateInfo,
  type GateStation,
  gateVerifyOptions,
  loadGateStation,
  parseGateBundle,
} from './gate/station.ts';
export { type GateFacts, type GateVerifyOptions, verifyGatePresentation } from './gate/verify.ts';
export {
  findIssuerKey,
  type IssuerJwks,
  jwkThumbprint,
  type P256PublicJwk,
  toP256PublicJwk,
} from './keys/jwk.ts';
export { MAX_JWS_LENGTH, type ParsedJws, parseJws, signJws, verifyJwsSignature } from './keys/jws.ts';
export {
  type DeviceKey,
  exportIssuerPrivateJwk,
  exportPublicJwk,
  generateDeviceKey,
  generateIssuerKey,
  type IssuerKey,
  importIssuerKey,
  toJwks,
} from './keys/keys.ts';
export {
  buildCredentialRequest,
  buildCredentialResponse,
  buildNonceResponse,
  parseCredentialRequest,
  parseCredentialResponse,
  parseNonceResponse,
} from './oid4vci/credential.ts';
export {
  buildAuthorizationServerMetadata,
  buildIssuerMetadata,
  GATE_CONFIGURATION,
  GATE_FORMAT,
  OFFICIAL_ID_CONFIGURATION,
  wellKnownUrl,
} from './oid4vci/metadata.ts';
export {
  type BuildOfferInput,
  buildCredentialOffer,
  credentialOfferUri,
  parseCredentialOffer,
} from './oid4vci/offer.ts';
export {
  type CreateProofInput,
  createProofJwt,
  PROOF_MAX_AGE_SECONDS,
  type VerifyProofOptions,
  verifyProofJwt,
} from './oid4vci/proof.ts';
export {
  buildTokenRequest,
  buildTokenResponse,
  parseTokenRequest,
  parseTokenResponse,
} from './oid4vci/token.ts';
export * from './oid4vci/types.ts';
export {
  type DcqlClaimQuery,
  type DcqlCredentialQuery,
  type DcqlQuery,
  officialIdQuery,
  requestedClaimNames,
  validateDcqlQuery,
} from './oid4vp/dcql.ts';
export { MATCH_CODE_DIGITS, vpMatchCode } from './oid4vp/match-code.ts';
export {
  type AuthorizationRequest,
  authorizationRequestUri,
  type CreateRequestInput,
  createAuthorizationRequest,
  parseAuthorizationRequest,
  REDIRECT_URI_PREFIX,
  redirectUriClientId,
  VP_SCHEME,
} from './oid4vp/request.ts';
export {
  parseVpResponseForm,
  type VerifyVpOptions,
  type VpResponse,
  verifyVpResponse,
  vpResponseForm,
} from './oid4vp/response.ts';
export { createDisclosure, type Disclosure, parseDisclosure } from './sd-jwt/disclosure.ts';
export { KB_JWT_TYP, SD_ALG, SD_JWT_VC_TYP, type SplitSdJwt, splitSdJwt } from './sd-jwt/format.ts';
export {
  type IssueSdJwtVcInput,
  issueOfficialIdCredential,
  issueSdJwtVc,
  OFFICIAL_ID_CLAIMS,
  OFFICIAL_ID_VCT,
  type OfficialIdClaims,
} from './sd-jwt/issue.ts';
export { disclosableClaims, type PresentSdJwtInput, presentSdJwt } from './sd-jwt/present.ts';
export {
  KB_JWT_MAX_AGE_SECONDS,
  type VerifiedSdJwt,
  type VerifySdJwtOptions,
  verifySdJwtPresentation,
} from './sd-jwt/verify.ts';
export { MemorySeenCache, type SeenCache } from './seen-cache.ts';
export {
  createSignListProof,
  SIGN_LIST_PROOF_MAX_AGE_SECONDS,
  SIGN_LIST_PROOF_TYP,
  signListProofJkt,
  verifySignListProof,
} from './signature/list-proof.ts';
export {
  assertSignable,
  MAX_SIGNATURE_BUNDLE_BYTES,
  SIGNATURE_AUDIENCE,
  SIGNATURE_BUNDLE_TYPE,
  SIGNATURE_BUNDLE_VERSION,
  SIGNATURE_TYP,
  SIGNER_CLAIMS,
  type SignatureBundle,
  type SignDocumentInput,
  signDocument,
} from './signature/sign.ts';
export {
  documentSha256,
  parseSignatureBundle,
  type SignerView,
  type VerifiedSignature,
  type VerifySignatureOptions,
  verifySignatureBundle,
} from './signature/verify.ts';
export {
  allocateStatusIndex,
  DEFAULT_STATUS_LIST_SIZE,
  StatusIndexAllocator,
} from './status-list/allocator.ts';
export { checkStatus, type StatusListSource } from './status-list/check.ts';
export { readStatusClaim, type StatusReference } from './status-list/reference.ts';
export {
  MAX_STATUS_LIST_ENTRIES,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  type StatusBits,
  StatusList,
} from './status-list/status-list.ts';
export {
  type SignStatusListInput,
  STATUS_LIST_TYP,
  signStatusListToken,
  type VerifiedStatusList,
  type VerifyStatusListOptions,
  verifyStatusListToken,
} from './status-list/token.ts';
export {
  assertPinAcceptable,
  derivePinVerifier,
  isTrivialPin,
  MAX_PIN_ITERATIONS,
  MIN_PIN_ITERATIONS,
  PIN_LENGTH,
} from './unlock/pin.ts';
export {
  createPinProof,
  type ParsedPinProof,
  PIN_PROOF_MAX_AGE_SECONDS,
  PIN_PROOF_TYP,
  type PinAction,
  type PinProofInput,
  parsePinProof,
  verifyPinProof,
} from './unlock/proof.ts';
export {
  type IssueUnlockTokenInput,
  issueUnlockToken,
  readUnlockToken,
  UNLOCK_TOKEN_TYP,
  type UnlockCheck,
  verifyUnlockToken,
} from './unlock/token.ts';
export { epochSeconds } from './util/time.ts';
export { type FetchLike, fetchJson } from './wallet/http.ts';
export { MemoryWalletStorage, type WalletStorage } from './wallet/storage.ts';
export {
  type InstallOptions,
  type IssuancePreview,
  type PinEndpoints,
  type PresentationPreview,
  type SignatureRequestView,
  Wallet,
  type WalletCard,
  type WalletOptions,
} from './wallet/wallet.ts';
