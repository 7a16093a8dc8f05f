// Names, policies and lifetimes of the development CA. Everything it makes says DEV ONLY in its
// subject: the CAs in their CN, user certificates in an OU (their CN must keep the real shape so
// that holder-name extraction still yields exactly the given name).

/** The kinds of user certificate the development CA issues. */
export type DevCaKind = 'gpki' | 'gpki-special' | 'epki' | 'npki';
export const devCaKinds: readonly DevCaKind[] = ['gpki', 'gpki-special', 'epki', 'npki'];

/** The authorities of the development CA. */
export type AuthorityId = 'gpki-root' | 'gpki-ca' | 'epki-ca' | 'npki-root' | 'npki-ca';
export const authorityIds: readonly AuthorityId[] = [
  'gpki-root',
  'gpki-ca',
  'epki-ca',
  'npki-root',
  'npki-ca',
];

/** The marker every subject carries. */
export const DEV_ONLY = 'DEV ONLY';

/** A distinguished name as people read it (RFC 4514 order: most specific first). */
export type Rdns = ReadonlyArray<readonly [attribute: string, value: string]>;

export interface AuthorityProfile {
  readonly id: AuthorityId;
  /** The hierarchy the authority belongs to; also the folder its certificate and CRL live in. */
  readonly hierarchy: 'gpki' | 'npki';
  readonly subject: Rdns;
  /** Issuing authority; absent for a root. */
  readonly parent?: AuthorityId;
  /** basicConstraints pathLenConstraint. */
  readonly pathLen: number;
  /** File stem of its certificate and CRL. */
  readonly fileStem: string;
  readonly lifetimeYears: number;
}

export const authorityProfiles: Readonly<Record<AuthorityId, AuthorityProfile>> = {
  'gpki-root': {
    id: 'gpki-root',
    hierarchy: 'gpki',
    subject: [
      ['CN', `GPKI Root CA (${DEV_ONLY})`],
      ['OU', 'GPKI'],
      ['O', 'Government of Korea'],
      ['C', 'KR'],
    ],
    pathLen: 1,
    fileStem: 'GPKIRootCA',
    lifetimeYears: 20,
  },
  'gpki-ca': {
    id: 'gpki-ca',
    hierarchy: 'gpki',
    subject: [
      ['CN', `CA131100001 (${DEV_ONLY})`],
      ['OU', 'GPKI'],
      ['O', 'Government of Korea'],
      ['C', 'KR'],
    ],
    parent: 'gpki-root',
    pathLen: 0,
    fileStem: 'CA131100001',
    lifetimeYears: 10,
  },
  // The education CA is subordinate to the GPKI root, as the real EPKI is.
  'epki-ca': {
    id: 'epki-ca',
    hierarchy: 'gpki',
    subject: [
      ['CN', `CA134100031 (${DEV_ONLY})`],
      ['OU', 'EPKI'],
      ['O', 'Government of Korea'],
      ['C', 'KR'],
    ],
    parent: 'gpki-root',
    pathLen: 0,
    fileStem: 'CA134100031',
    lifetimeYears: 10,
  },
  'npki-root': {
    id: 'npki-root',
    hierarchy: 'npki',
    subject: [
      ['CN', `KISA RootCA (${DEV_ONLY})`],
      ['OU', 'Korea Certification Authority Central'],
      ['O', 'KISA'],
      ['C', 'KR'],
    ],
    pathLen: 1,
    fileStem: 'KISARootCA',
    lifetimeYears: 20,
  },
  'npki-ca': {
    id: 'npki-ca',
    hierarchy: 'npki',
    subject: [
      ['CN', `yessignCA Class 2 (${DEV_ONLY})`],
      ['OU', 'AccreditedCA'],
      ['O', 'yessign'],
      ['C', 'kr'],
    ],
    parent: 'npki-root',
    pathLen: 0,
    fileStem: 'yessignCA',
    lifetimeYears: 10,
  },
};

/** Certificate policy OIDs of the user certificates. */
export const userPolicies: Readonly<Record<DevCaKind, string>> = {
  gpki: '1.2.410.100001.2.2.1',
  'gpki-special': '1.2.410.100001.2.1.3',
  epki: '1.2.410.100001.5.3.1.3',
  npki: '1.2.410.200005.1.1.1',
};

/** The authority that issues each kind. */
export const issuerOf: Readonly<Record<DevCaKind, AuthorityId>> = {
  gpki: 'gpki-ca',
  'gpki-special': 'gpki-ca',
  epki: 'epki-ca',
  npki: 'npki-ca',
};

/** Default lifetime of a user certificate (GPKI issues for two years). */
export const userLifetimeDays = 730;
/** Lifetime of a CRL from its thisUpdate. */
export const crlLifetimeDays = 30;

/** Where CRLs are said to be published (a reserved name: nothing is fetched). */
export function crlUrl(id: AuthorityId): string {
  const p = authorityProfiles[id];
  return `http://ca.gongjik.invalid/${p.hierarchy}/${p.fileStem}.crl`;
}

export interface UserSubjectInput {
  readonly kind: DevCaKind;
  readonly name: string;
  readonly org: string;
  readonly dept?: string;
}

/**
 * The CN of a user certificate. GPKI/EPKI: three digits, the name, a three-digit sequence
 * (`850류시원001`). NPKI: the name, `()`, then 22 digits (`류시원()0010023400506789012345`).
 * `digits` supplies the varying digits (decimal characters).
 */
export function userCommonName(kind: DevCaKind, name: string, sequence: number, digits: string): string {
  if (kind === 'npki') return `${name}()001${digits.slice(0, 19).padStart(19, '0')}`;
  return `850${name}${String(sequence % 1000).padStart(3, '0')}`;
}

/** The subject of a user certificate, with DEV ONLY in an OU. */
export function userSubject(input: UserSubjectInput, cn: string): Rdns {
  if (input.kind === 'npki') {
    return [
      ['CN', cn],
      ['OU', input.org],
      ['OU', 'personal4IB'],
      ['OU', DEV_ONLY],
      ['O', 'yessign'],
      ['C', 'kr'],
    ];
  }
  const rdns: [string, string][] = [
    ['CN', cn],
    ['OU', 'people'],
  ];
  if (input.dept) rdns.push(['OU', input.dept]);
  rdns.push(['OU', input.org], ['OU', DEV_ONLY], ['O', 'Government of Korea'], ['C', 'KR']);
  return rdns;
}

/** RFC 4514 string form (`CN=…,OU=…,C=KR`), escaping the characters that need it. */
export function formatRdns(rdns: Rdns, lowerCaseTypes = false): string {
  return rdns
    .map(([type, value]) => {
      const escaped = value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
      return `${lowerCaseTypes ? type.toLowerCase() : type}=${escaped}`;
    })
    .join(',');
}
