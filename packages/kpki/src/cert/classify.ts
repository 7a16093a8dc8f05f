import { GongjikError } from '@gongjik/errors';
import { attributeValues, type DistinguishedName } from './dn.ts';
import { OID_ORGANIZATION, OID_ORGANIZATIONAL_UNIT } from './oids.ts';

/**
 * What a certificate is for, as the login rules see it:
 * - `gpki-personal`: GPKI official's personal certificate (행정전자서명 공무원용);
 * - `gpki-special`: GPKI/EPKI institutional certificates — special-purpose (특수목적용),
 *   institutional seal (전자관인) and computer/server (컴퓨터용) — for institutional mailboxes;
 * - `epki-personal`: EPKI (education) personal certificate;
 * - `npki`: a bank/licensed-CA certificate (공동인증서), never accepted for login;
 * - `unknown`: anything else, including GPKI certificates of public institutions (공공/민간), which
 *   the service excludes.
 */
export type CertificateClass = 'gpki-personal' | 'gpki-special' | 'epki-personal' | 'npki' | 'unknown';

export const CERTIFICATE_CLASSES: readonly CertificateClass[] = [
  'gpki-personal',
  'gpki-special',
  'epki-personal',
  'npki',
  'unknown',
];

interface KnownPolicy {
  readonly class: CertificateClass;
  readonly name: string;
}

/**
 * Government policy OIDs under 1.2.410.100001 (Ministry of the Interior and Safety GPKI and the
 * Ministry of Education EPKI), as published in their certificate policies and used by the GPKI/EPKI
 * client libraries.
 */
export const GOVERNMENT_POLICIES: Readonly<Record<string, KnownPolicy>> = {
  '1.2.410.100001.2.2.1': { class: 'gpki-personal', name: 'GPKI personal (officials)' },
  '1.2.410.100001.2.1.1': { class: 'gpki-special', name: 'GPKI institutional seal' },
  '1.2.410.100001.2.1.2': { class: 'gpki-special', name: 'GPKI computer/server' },
  '1.2.410.100001.2.1.3': { class: 'gpki-special', name: 'GPKI special-purpose' },
  '1.2.410.100001.5.3.1.3': { class: 'epki-personal', name: 'EPKI personal' },
  '1.2.410.100001.5.3.1.1': { class: 'gpki-special', name: 'EPKI institutional seal' },
  '1.2.410.100001.5.3.1.5': { class: 'gpki-special', name: 'EPKI special-purpose' },
  '1.2.410.100001.5.3.1.7': { class: 'gpki-special', name: 'EPKI computer/server' },
  // Public institutions (공공기관) are excluded from the service: their GPKI classes stay unknown.
  '1.2.410.100001.2.1.4': { class: 'unknown', name: 'GPKI public/private institution seal' },
  '1.2.410.100001.2.1.5': { class: 'unknown', name: 'GPKI public/private institution computer' },
  '1.2.410.100001.2.1.6': { class: 'unknown', name: 'GPKI public/private institution special-purpose' },
  '1.2.410.100001.2.2.2': { class: 'unknown', name: 'GPKI public/private institution personal' },
  '1.2.410.100001.5.3.1.9': { class: 'unknown', name: 'EPKI SSL server' },
};

/**
 * Policy arcs of the NPKI licensed CAs (formerly 공인인증기관). Every licensed CA's policies sit under
 * KISA's arc 1.2.410.200004.5.<n> except KFTC (yessign) and KTNET (TradeSign), which have their own.
 */
export const NPKI_POLICY_ARCS: readonly { readonly arc: string; readonly ca: string }[] = [
  { arc: '1.2.410.200004.5.1', ca: 'KOSCOM (SignKorea)' },
  { arc: '1.2.410.200004.5.2', ca: 'KICA (signGATE)' },
  { arc: '1.2.410.200004.5.3', ca: 'NIA (NCASign)' },
  { arc: '1.2.410.200004.5.4', ca: 'CrossCert' },
  { arc: '1.2.410.200004.5.5', ca: 'INITECH (INIPASS)' },
  { arc: '1.2.410.200004', ca: 'KISA accredited CA' },
  { arc: '1.2.410.200005', ca: 'KFTC (yessign)' },
  { arc: '1.2.410.200012', ca: 'KTNET (TradeSign)' },
];

/** Organisation names of the NPKI CAs as they appear in issuer DNs (`O=yessign`, `O=KICA`, …). */
const NPKI_ORGANIZATIONS = new Set([
  'yessign',
  'kica',
  'signkorea',
  'crosscert',
  'tradesign',
  'ncasign',
  'inipass',
  'kisa',
  'kftc',
  'koscom',
  'ktnet',
]);
/** `OU=AccreditedCA` (and its successor wording) marks NPKI issuers. */
const NPKI_UNITS = new Set(['accreditedca', 'licensedca']);

function underArc(oid: string, arc: string): boolean {
  return oid === arc || oid.startsWith(`${arc}.`);
}

/** The NPKI CA whose arc holds `oid`, or null. */
export function npkiCaOfPolicy(oid: string): string | null {
  for (const { arc, ca } of NPKI_POLICY_ARCS) if (underArc(oid, arc)) return ca;
  return null;
}

/** True when the issuer's O or OU names an NPKI CA. */
export function isNpkiIssuer(issuer: DistinguishedName): boolean {
  const key = (v: string) => v.normalize('NFC').trim().toLowerCase().replace(/\s+/g, '');
  if (attributeValues(issuer, OID_ORGANIZATION).some((o) => NPKI_ORGANIZATIONS.has(key(o)))) return true;
  return attributeValues(issuer, OID_ORGANIZATIONAL_UNIT).some((ou) => NPKI_UNITS.has(key(ou)));
}

export interface Classification {
  readonly class: CertificateClass;
  /** What decided: a policy OID, the issuer name, or nothing recognised. */
  readonly by: 'policy' | 'issuer' | 'none';
  /** The deciding policy OID (when `by` is 'policy'). */
  readonly policy: string | null;
  /** Human description of the deciding policy or issuer. */
  readonly description: string | null;
}

const PRECEDENCE: readonly CertificateClass[] = ['gpki-special', 'gpki-personal', 'epki-personal', 'unknown'];

/**
 * Classifies by certificate policy OIDs and issuer. NPKI evidence (a policy under an NPKI arc or an
 * NPKI issuer) always wins, so a certificate cannot escape the NPKI refusal by adding a government
 * policy. Among government policies the most restrictive class wins (special-purpose before personal).
 */
export function classifyCertificate(input: {
  readonly policies: readonly string[];
  readonly issuer: DistinguishedName;
}): Classification {
  for (const policy of input.policies) {
    const ca = npkiCaOfPolicy(policy);
    if (ca) return { class: 'npki', by: 'policy', policy, description: ca };
  }
  if (isNpkiIssuer(input.issuer))
    return { class: 'npki', by: 'issuer', policy: null, description: input.issuer.dn };
  let best: { policy: string; known: KnownPolicy } | null = null;
  for (const policy of input.policies) {
    const known = GOVERNMENT_POLICIES[policy];
    if (!known) continue;
    if (!best || PRECEDENCE.indexOf(known.class) < PRECEDENCE.indexOf(best.known.class))
      best = { policy, known };
  }
  if (best)
    return { class: best.known.class, by: 'policy', policy: best.policy, description: best.known.name };
  return { class: 'unknown', by: 'none', policy: null, description: null };
}

export interface LoginAcceptance {
  /** The mailbox is an institutional one (기관 메일함): special-purpose certificates are allowed. */
  readonly institutional: boolean;
}

/**
 * Throws unless a certificate of this class may log in:
 * NPKI → ERR_PKI_NPKI_NOT_ACCEPTED; special-purpose outside an institutional mailbox and unknown →
 * ERR_PKI_CLASS_NOT_ACCEPTED.
 */
export function assertAcceptedForLogin(cls: CertificateClass, options: LoginAcceptance): void {
  switch (cls) {
    case 'gpki-personal':
    case 'epki-personal':
      return;
    case 'gpki-special':
      if (options.institutional) return;
      throw new GongjikError('ERR_PKI_CLASS_NOT_ACCEPTED', { class: cls });
    case 'npki':
      throw new GongjikError('ERR_PKI_NPKI_NOT_ACCEPTED', { class: cls });
    default:
      throw new GongjikError('ERR_PKI_CLASS_NOT_ACCEPTED', { class: 'unknown' });
  }
}
