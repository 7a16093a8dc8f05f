// @gongjik/mobile-id — runs in Node and the browser (no node:* imports here; see ./node.ts).

export * from './gate/format.ts';
export { type IssueGateCredentialInput, issueGateCredential } from './gate/issue.ts';
export { createGateQr, type GateQrInput } from './gate/proof.ts';
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
export { epochSeconds } from './util/time.ts';
