// The development CA (browser-safe part). The on-disk store is in ./store.ts, exported by ../node.ts.

export {
  type BundleFile,
  type BundleOptions,
  defaultKeyFileIterations,
  defaultKeyFileScheme,
  type UserBundle,
  userBundle,
} from './bundle.ts';
export {
  type CaClock,
  createDevCa,
  type DevCa,
  type DevCaAuthority,
  type IssuedPair,
  type IssuedRecord,
  type IssuedUser,
  type IssueInput,
  issueUserCertificates,
  normaliseSerial,
  type RevocationReason,
  reissueCrls,
  revocationReasons,
  revokeCertificate,
} from './ca.ts';
export { type LayoutPaths, layoutPaths } from './layout.ts';
export {
  type AuthorityId,
  authorityIds,
  authorityProfiles,
  crlLifetimeDays,
  DEV_ONLY,
  type DevCaKind,
  devCaKinds,
  formatRdns,
  issuerOf,
  type Rdns,
  userLifetimeDays,
  userPolicies,
} from './profiles.ts';
