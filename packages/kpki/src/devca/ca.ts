// The development CA in memory: create the hierarchies, issue user certificates, revoke, re-issue
// CRLs. No I/O here (see ./store.ts for the on-disk form); crypto and the clock are passed in.
// Functions that change the CA change the object they are given and say so.
import { GongjikError } from '@gongjik/errors';
import * as x509 from '../x509.ts';
import {
  type AuthorityId,
  authorityIds,
  authorityProfiles,
  crlLifetimeDays,
  crlUrl,
  type DevCaKind,
  formatRdns,
  issuerOf,
  type Rdns,
  type UserSubjectInput,
  userCommonName,
  userLifetimeDays,
  userPolicies,
  userSubject,
} from './profiles.ts';
import type { Crypto, CryptoKey } from './webcrypto.ts';
import {
  generateRsaKey,
  importSigningKey,
  randomDigits,
  randomSerial,
  signCertificate,
  signCrl,
  toName,
} from './x509-build.ts';

export const revocationReasons = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type RevocationReason = keyof typeof revocationReasons;

export interface DevCaAuthority {
  readonly id: AuthorityId;
  /** DER certificate. */
  readonly certificate: Uint8Array;
  /** PKCS#8 DER private key (unencrypted: this is a development CA). */
  readonly privateKey: Uint8Array;
  /** The latest CRL (DER). */
  crl: Uint8Array;
  /** Number of the latest CRL. */
  crlNumber: number;
}

export interface IssuedRecord {
  /** Lowercase hex, 32 digits. */
  readonly serial: string;
  readonly authority: AuthorityId;
  readonly kind: DevCaKind | 'ca';
  readonly usage: 'sign' | 'env' | 'ca';
  /** RFC 4514 subject. */
  readonly subject: string;
  /** The holder name the certificate was issued for (user certificates). */
  readonly name?: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  status: 'valid' | 'revoked';
  revokedAt?: string;
  reason?: RevocationReason;
}

export interface DevCa {
  readonly version: 1;
  readonly createdAt: string;
  readonly authorities: Record<AuthorityId, DevCaAuthority>;
  readonly issued: IssuedRecord[];
}

export interface CaClock {
  readonly crypto: Crypto;
  readonly now: Date;
}

const DAY = 86_400_000;
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
const addYears = (d: Date, years: number) => {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
};

const caKeyUsage = () =>
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true);
const ANY_POLICY = '2.5.29.32.0';

/** Creates the three hierarchies (GPKI with EPKI under its root, and NPKI), each CA with a CRL. */
export async function createDevCa({ crypto, now }: CaClock): Promise<DevCa> {
  const ca: DevCa = {
    version: 1,
    createdAt: now.toISOString(),
    authorities: {} as Record<AuthorityId, DevCaAuthority>,
    issued: [],
  };
  // Roots come first in authorityIds' order of parents: a parent is always made before its child.
  for (const id of authorityIds) {
    const profile = authorityProfiles[id];
    const key = await generateRsaKey(crypto);
    const subject = toName(profile.subject);
    const notAfter = addYears(now, profile.lifetimeYears);
    const serial = randomSerial(crypto);
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(true, profile.pathLen, true),
      caKeyUsage(),
    ];
    let issuer: { name: x509.Name; key: CryptoKey; publicKey: x509.PublicKeyType };
    if (profile.parent) {
      const parent = ca.authorities[profile.parent];
      const parentCert = new x509.X509Certificate(new Uint8Array(parent.certificate));
      issuer = {
        name: parentCert.subjectName,
        key: await importSigningKey(crypto, parent.privateKey),
        publicKey: parentCert,
      };
      extensions.push(
        new x509.CertificatePolicyExtension([ANY_POLICY]),
        new x509.CRLDistributionPointsExtension([crlUrl(profile.parent)]),
      );
    } else {
      issuer = { name: subject, key: key.keys.privateKey, publicKey: key.keys.publicKey };
    }
    const certificate = await signCertificate(crypto, {
      subject,
      publicKey: key.keys.publicKey,
      issuer,
      serial,
      notBefore: now,
      notAfter,
      extensions,
    });
    ca.authorities[id] = { id, certificate, privateKey: key.pkcs8, crl: new Uint8Array(), crlNumber: 0 };
    if (profile.parent) {
      ca.issued.push({
        serial,
        authority: profile.parent,
        kind: 'ca',
        usage: 'ca',
        subject: formatRdns(profile.subject),
        notBefore: now.toISOString(),
        notAfter: notAfter.toISOString(),
        issuedAt: now.toISOString(),
        status: 'valid',
      });
    }
  }
  await reissueCrls(ca, { crypto, now });
  return ca;
}

export interface IssueInput extends UserSubjectInput {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface IssuedPair {
  readonly serial: string;
  /** DER certificate. */
  readonly certificate: Uint8Array;
  /** PKCS#8 DER private key (encrypt it before it leaves the process: see ./bundle.ts). */
  readonly privateKey: Uint8Array;
}

export interface IssuedUser {
  readonly kind: DevCaKind;
  readonly authority: AuthorityId;
  /** The subject CN (also the file name stem in the GPKI layout). */
  readonly commonName: string;
  /** RFC 4514 subject. */
  readonly subject: string;
  /** The subject's attributes, most specific first. */
  readonly subjectRdns: Rdns;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Signing pair (`_sig`, `signCert`). */
  readonly sign: IssuedPair;
  /** Encryption pair (`_env`), GPKI and EPKI only. */
  readonly env?: IssuedPair;
}

/** Issues a user certificate (and, for GPKI/EPKI, its encryption twin). Records it in `ca`. */
export async function issueUserCertificates(
  ca: DevCa,
  input: IssueInput,
  { crypto, now }: CaClock,
): Promise<IssuedUser> {
  const notBefore = input.notBefore ?? now;
  const notAfter = input.notAfter ?? addDays(notBefore, userLifetimeDays);
  if (!(notAfter.getTime() > notBefore.getTime())) throw new RangeError('notAfter must be after notBefore');
  const authorityId = issuerOf[input.kind];
  const authority = ca.authorities[authorityId];
  const issuerCert = new x509.X509Certificate(new Uint8Array(authority.certificate));
  const issuer = {
    name: issuerCert.subjectName,
    key: await importSigningKey(crypto, authority.privateKey),
    publicKey: issuerCert,
  };
  const sameName = ca.issued.filter(
    (r) => r.usage === 'sign' && r.kind === input.kind && r.name === input.name,
  );
  const commonName = userCommonName(input.kind, input.name, sameName.length + 1, randomDigits(crypto, 19));
  const rdns = userSubject(input, commonName);
  const subject = formatRdns(rdns);
  const common = [
    new x509.CertificatePolicyExtension([userPolicies[input.kind]]),
    new x509.CRLDistributionPointsExtension([crlUrl(authorityId)]),
  ];

  const make = async (usage: 'sign' | 'env'): Promise<IssuedPair> => {
    const key = await generateRsaKey(crypto);
    const serial = randomSerial(crypto);
    const flags =
      usage === 'sign'
        ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
        : x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment;
    const certificate = await signCertificate(crypto, {
      subject: toName(rdns),
      publicKey: key.keys.publicKey,
      issuer,
      serial,
      notBefore,
      notAfter,
      extensions: [new x509.KeyUsagesExtension(flags, true), ...common],
    });
    ca.issued.push({
      serial,
      authority: authorityId,
      kind: input.kind,
      usage,
      subject,
      name: input.name,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      issuedAt: now.toISOString(),
      status: 'valid',
    });
    return { serial, certificate, privateKey: key.pkcs8 };
  };

  const sign = await make('sign');
  const env = input.kind === 'npki' ? undefined : await make('env');
  return {
    kind: input.kind,
    authority: authorityId,
    commonName,
    subject,
    subjectRdns: rdns,
    notBefore,
    notAfter,
    sign,
    env,
  };
}

/** Normalises a serial as people type it (`0x…`, colons, spaces, any case) to lowercase hex. */
export function normaliseSerial(serial: string): string {
  return serial
    .trim()
    .replace(/^0x/i, '')
    .replace(/[\s:]/g, '')
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

/**
 * Marks a certificate revoked in `ca` (the CRLs change only at the next reissueCrls).
 * Throws ERR_CA_SERIAL_UNKNOWN for a serial this CA did not issue.
 */
export function revokeCertificate(
  ca: DevCa,
  serial: string,
  { now, reason = 'unspecified' }: { now: Date; reason?: RevocationReason },
): { record: IssuedRecord; alreadyRevoked: boolean } {
  const wanted = normaliseSerial(serial);
  const record = ca.issued.find((r) => normaliseSerial(r.serial) === wanted);
  if (!record) {
    throw new GongjikError('ERR_CA_SERIAL_UNKNOWN', {
      serial: /^[0-9a-f]{1,64}$/.test(wanted) ? wanted : '(not a hexadecimal serial)',
    });
  }
  if (record.status === 'revoked') return { record, alreadyRevoked: true };
  record.status = 'revoked';
  record.revokedAt = now.toISOString();
  record.reason = reason;
  return { record, alreadyRevoked: false };
}

/** Signs a fresh CRL for every authority of `ca` (CRL number + 1), listing what it revoked. */
export async function reissueCrls({ authorities, issued }: DevCa, { crypto, now }: CaClock): Promise<void> {
  for (const id of authorityIds) {
    const authority = authorities[id];
    const cert = new x509.X509Certificate(new Uint8Array(authority.certificate));
    const crlNumber = authority.crlNumber + 1;
    authority.crl = await signCrl(crypto, {
      issuer: cert.subjectName,
      key: await importSigningKey(crypto, authority.privateKey),
      issuerPublicKey: cert,
      thisUpdate: now,
      nextUpdate: addDays(now, crlLifetimeDays),
      crlNumber,
      entries: issued
        .filter((r) => r.authority === id && r.status === 'revoked')
        .map((r) => ({
          serial: r.serial,
          revokedAt: new Date(r.revokedAt ?? now),
          reason: revocationReasons[r.reason ?? 'unspecified'],
        })),
    });
    authority.crlNumber = crlNumber;
  }
}
