import { GongjikError } from '@gongjik/errors';
import {
  bytesKey,
  children,
  content,
  DerError,
  decodeOid,
  raw,
  readTlv,
  readWhole,
  type Tlv,
  toHex,
} from './der.ts';
import {
  type DistinguishedName,
  type GeneralName,
  isDnsSan,
  isMailbox,
  parseGeneralName,
  parseGeneralNames,
  parseName,
} from './names.ts';

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

export const ANY_POLICY = '2.5.29.32.0';
export const AKI_MISSING = 'authorityKeyIdentifier missing';

export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  crlDistributionPoints: '2.5.29.31',
  freshestCrl: '2.5.29.46',
  subjectDirectoryAttributes: '2.5.29.9',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

/** Extensions §6 processes (or that are harmless to recognise when critical). */
const UNDERSTOOD = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.nameConstraints,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.crlDistributionPoints,
  OID.freshestCrl,
  OID.subjectDirectoryAttributes,
]);
/** Extensions a conforming CA MUST mark non-critical: critical means a malformed certificate. */
const MUST_BE_NON_CRITICAL = new Set<string>([
  OID.authorityKeyIdentifier,
  OID.subjectKeyIdentifier,
  OID.authorityInfoAccess,
  OID.subjectInfoAccess,
]);

export interface Extension {
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** A certificate parsed for path validation: raw parts for signatures, decoded extensions for §6. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  /** Exact map key of the DER (see bytesKey). */
  readonly key: string;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: Uint8Array;
  readonly signature: Uint8Array;
  readonly version: number;
  /** Serial number as lower-case hex of the INTEGER content octets (leading zero octets removed). */
  readonly serial: string;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  /** The subjectPublicKey BIT STRING value (for OCSP key hashes). */
  readonly publicKeyBits: Uint8Array;
  readonly extensions: ReadonlyMap<string, Extension>;
  readonly basicConstraints?: { readonly cA: boolean; readonly pathLen?: number; readonly critical: boolean };
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  readonly extKeyUsage?: readonly string[];
  readonly subjectAltNames?: readonly GeneralName[];
  readonly nameConstraints?: {
    readonly permitted?: GeneralName[];
    readonly excluded?: GeneralName[];
    readonly critical: boolean;
  };
  readonly policies?: readonly string[];
  readonly policyMappings?: ReadonlyArray<readonly [string, string]>;
  readonly policyConstraints?: {
    readonly requireExplicitPolicy?: number;
    readonly inhibitPolicyMapping?: number;
    readonly critical: boolean;
  };
  readonly inhibitAnyPolicy?: number;
  readonly authorityKeyId?: string;
  readonly subjectKeyId?: string;
  readonly ocspUrls: readonly string[];
  readonly crlUrls: readonly string[];
  /** Subject and issuer are the same name (RFC 5280 "self-issued"). */
  readonly selfIssued: boolean;
  /** Critical extensions this validator does not process. */
  readonly unknownCritical: readonly string[];
  /** RFC 5280 profile violations found while parsing; any makes the certificate unusable in a path. */
  readonly problems: readonly string[];
}

function integer(bytes: Uint8Array, tlv: Tlv): number {
  if (tlv.tag !== 0x02 && tlv.tag !== 0x80 && tlv.tag !== 0x81) throw new DerError('not an INTEGER');
  const c = content(bytes, tlv);
  if (c.length === 0 || c.length > 6 || ((c[0] as number) & 0x80) !== 0)
    throw new DerError('integer out of range');
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

function parseTime(bytes: Uint8Array, tlv: Tlv): Date {
  const s = String.fromCharCode(...content(bytes, tlv));
  const utc = tlv.tag === 0x17 ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : null;
  if (utc) {
    const yy = Number(utc[1]);
    const year = yy >= 50 ? 1900 + yy : 2000 + yy;
    return new Date(
      Date.UTC(year, Number(utc[2]) - 1, Number(utc[3]), Number(utc[4]), Number(utc[5]), Number(utc[6])),
    );
  }
  const gen = tlv.tag === 0x18 ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d+)?Z$/.exec(s) : null;
  if (gen) {
    const ms = gen[7] ? Math.floor(Number(gen[7]) * 1000) : 0;
    const t = Date.UTC(
      Number(gen[1]),
      Number(gen[2]) - 1,
      Number(gen[3]),
      Number(gen[4]),
      Number(gen[5]),
      Number(gen[6]),
      ms,
    );
    return new Date(t);
  }
  throw new DerError('bad time');
}

export { parseTime };

function bitStringValue(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  if (tlv.tag !== 0x03) throw new DerError('not a BIT STRING');
  const c = content(bytes, tlv);
  if (c.length === 0) throw new DerError('empty BIT STRING');
  return c.subarray(1);
}

function parseKeyUsage(v: Uint8Array): Set<KeyUsageName> {
  const tlv = readWhole(v);
  const bits = bitStringValue(v, tlv);
  const out = new Set<KeyUsageName>();
  KEY_USAGES.forEach((name, i) => {
    const byte = bits[i >> 3];
    if (byte !== undefined && (byte & (0x80 >> (i & 7))) !== 0) out.add(name);
  });
  return out;
}

function oidList(v: Uint8Array): string[] {
  const seq = readWhole(v);
  return children(v, seq).map((t) => {
    if (t.tag !== 0x06) throw new DerError('not an OID');
    return decodeOid(content(v, t));
  });
}

function accessUrls(v: Uint8Array, method: string): string[] {
  const out: string[] = [];
  for (const ad of children(v, readWhole(v))) {
    const [m, loc] = children(v, ad);
    if (!m || !loc) throw new DerError('bad AccessDescription');
    const gn = parseGeneralName(v, loc);
    if (decodeOid(content(v, m)) === method && gn.kind === 'uri') out.push(gn.value);
  }
  return out;
}

function distributionPointUrls(v: Uint8Array): string[] {
  const out: string[] = [];
  for (const dp of children(v, readWhole(v))) {
    for (const field of children(v, dp)) {
      if (field.tag !== 0xa0) continue;
      const [name] = children(v, field);
      if (name?.tag !== 0xa0) continue;
      for (const gnTlv of children(v, name)) {
        const gn = parseGeneralName(v, gnTlv);
        if (gn.kind === 'uri') out.push(gn.value);
      }
    }
  }
  return out;
}

function subtrees(v: Uint8Array, tlv: Tlv): GeneralName[] {
  return children(v, tlv).map((st) => {
    const [base, ...rest] = children(v, st);
    if (!base) throw new DerError('empty GeneralSubtree');
    for (const r of rest) {
      // minimum MUST be zero and maximum absent (RFC 5280 §4.2.1.10).
      if (r.tag === 0x80 && integer(v, r) !== 0) throw new DerError('subtree minimum');
      if (r.tag === 0x81) throw new DerError('subtree maximum');
    }
    return parseGeneralName(v, base);
  });
}

/**
 * Parses a DER certificate. Throws ERR_PKI_CERT_MALFORMED when it is not a well-formed X.509 v1–v3
 * certificate; RFC 5280 profile violations land in `problems` (refused when the certificate is used).
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    return parseUnsafe(der);
  } catch (err) {
    if (err instanceof GongjikError) throw err;
    throw new GongjikError(
      'ERR_PKI_CERT_MALFORMED',
      { reason: err instanceof Error ? err.message : 'unreadable' },
      { cause: err },
    );
  }
}

function parseUnsafe(input: Uint8Array): ParsedCertificate {
  const der = input.slice();
  const problems: string[] = [];
  const top = readWhole(der);
  const [tbsTlv, sigAlgTlv, sigTlv, ...extra] = children(der, top);
  if (top.tag !== 0x30 || !tbsTlv || !sigAlgTlv || !sigTlv || extra.length > 0)
    throw new DerError('not a Certificate');
  const fields = children(der, tbsTlv);
  let i = 0;
  let version = 0;
  if (fields[0]?.tag === 0xa0) {
    version = integer(der, readTlv(der, (fields[0] as Tlv).contentStart, (fields[0] as Tlv).end));
    i++;
  }
  const serialTlv = fields[i++];
  const innerAlg = fields[i++];
  const issuerTlv = fields[i++];
  const validity = fields[i++];
  const subjectTlv = fields[i++];
  const spkiTlv = fields[i++];
  if (
    !serialTlv ||
    !innerAlg ||
    !issuerTlv ||
    !validity ||
    !subjectTlv ||
    !spkiTlv ||
    serialTlv.tag !== 0x02
  ) {
    throw new DerError('truncated TBSCertificate');
  }
  const serialBytes = content(der, serialTlv);
  if (serialBytes.length === 0) throw new DerError('empty serial');
  if (((serialBytes[0] as number) & 0x80) !== 0) problems.push('negative serial number');
  let s = 0;
  while (s < serialBytes.length - 1 && serialBytes[s] === 0) s++;
  const serial = toHex(serialBytes.subarray(s));
  if (/^0+$/.test(serial)) problems.push('zero serial number');
  if (serialBytes.length > 20) problems.push('serial number longer than 20 octets');
  if (!equalRaw(raw(der, innerAlg), raw(der, sigAlgTlv)))
    problems.push('signature algorithm differs from TBS signature field');
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new DerError('bad validity');
  const issuer = parseName(der, issuerTlv);
  const subject = parseName(der, subjectTlv);
  if (issuer.rdns.length === 0) problems.push('empty issuer name');
  const [, keyBits] = children(der, spkiTlv);
  if (!keyBits) throw new DerError('bad SubjectPublicKeyInfo');

  const extensions = new Map<string, Extension>();
  for (; i < fields.length; i++) {
    const f = fields[i] as Tlv;
    if (f.tag !== 0xa3) continue;
    if (version !== 2) throw new DerError('extensions in a non-v3 certificate');
    const list = readTlv(der, f.contentStart, f.end);
    for (const ext of children(der, list)) {
      const parts = children(der, ext);
      const oidTlv = parts[0];
      const valueTlv = parts[parts.length - 1];
      if (!oidTlv || !valueTlv || oidTlv.tag !== 0x06 || valueTlv.tag !== 0x04 || parts.length > 3)
        throw new DerError('bad Extension');
      const oid = decodeOid(content(der, oidTlv));
      const critical =
        parts.length === 3 && (parts[1] as Tlv).tag === 0x01 && der[(parts[1] as Tlv).contentStart] !== 0;
      if (extensions.has(oid)) problems.push(`duplicate extension ${oid}`);
      extensions.set(oid, { critical, value: content(der, valueTlv) });
    }
  }

  const ext = (oid: string) => extensions.get(oid);
  const unknownCritical: string[] = [];
  for (const [oid, e] of extensions) {
    if (!e.critical) continue;
    if (MUST_BE_NON_CRITICAL.has(oid)) problems.push(`extension ${oid} marked critical`);
    else if (!UNDERSTOOD.has(oid)) unknownCritical.push(oid);
  }

  let basicConstraints: ParsedCertificate['basicConstraints'];
  const bc = ext(OID.basicConstraints);
  if (bc) {
    let cA = false;
    let pathLen: number | undefined;
    for (const t of children(bc.value, readWhole(bc.value))) {
      if (t.tag === 0x01) cA = bc.value[t.contentStart] !== 0;
      else if (t.tag === 0x02) pathLen = integer(bc.value, t);
      else throw new DerError('bad BasicConstraints');
    }
    basicConstraints =
      pathLen === undefined ? { cA, critical: bc.critical } : { cA, pathLen, critical: bc.critical };
  }
  const keyUsage = ext(OID.keyUsage) ? parseKeyUsage((ext(OID.keyUsage) as Extension).value) : undefined;
  const ekuExt = ext(OID.extKeyUsage);
  const extKeyUsage = ekuExt ? oidList(ekuExt.value) : undefined;
  if (extKeyUsage && extKeyUsage.length === 0) problems.push('empty extKeyUsage');

  let subjectAltNames: GeneralName[] | undefined;
  const sanExt = ext(OID.subjectAltName);
  if (sanExt) {
    subjectAltNames = parseGeneralNames(sanExt.value, readWhole(sanExt.value));
    if (subjectAltNames.length === 0) problems.push('empty subjectAltName');
    for (const n of subjectAltNames) {
      if (n.kind === 'dns' && !isDnsSan(n.value)) problems.push('malformed dNSName');
      if (n.kind === 'email' && !isMailbox(n.value)) problems.push('malformed rfc822Name');
      if (n.kind === 'ip' && n.value.length !== 4 && n.value.length !== 16)
        problems.push('malformed iPAddress');
    }
  }
  if (subject.rdns.length === 0 && !sanExt?.critical)
    problems.push('empty subject without a critical subjectAltName');

  let nameConstraints: ParsedCertificate['nameConstraints'];
  const ncExt = ext(OID.nameConstraints);
  if (ncExt) {
    let permitted: GeneralName[] | undefined;
    let excluded: GeneralName[] | undefined;
    for (const t of children(ncExt.value, readWhole(ncExt.value))) {
      if (t.tag === 0xa0) permitted = subtrees(ncExt.value, t);
      else if (t.tag === 0xa1) excluded = subtrees(ncExt.value, t);
      else throw new DerError('bad NameConstraints');
    }
    nameConstraints = {
      critical: ncExt.critical,
      ...(permitted ? { permitted } : {}),
      ...(excluded ? { excluded } : {}),
    };
  }

  let policies: string[] | undefined;
  const cpExt = ext(OID.certificatePolicies);
  if (cpExt) {
    policies = children(cpExt.value, readWhole(cpExt.value)).map((pi) => {
      const [oid] = children(cpExt.value, pi);
      if (oid?.tag !== 0x06) throw new DerError('bad PolicyInformation');
      return decodeOid(content(cpExt.value, oid));
    });
    if (new Set(policies).size !== policies.length) problems.push('duplicate certificate policy');
  }
  let policyMappings: Array<[string, string]> | undefined;
  const pmExt = ext(OID.policyMappings);
  if (pmExt) {
    policyMappings = children(pmExt.value, readWhole(pmExt.value)).map((pm) => {
      const [a, b] = children(pmExt.value, pm);
      if (a?.tag !== 0x06 || b?.tag !== 0x06) throw new DerError('bad PolicyMapping');
      return [decodeOid(content(pmExt.value, a)), decodeOid(content(pmExt.value, b))];
    });
  }
  let policyConstraints: ParsedCertificate['policyConstraints'];
  const pcExt = ext(OID.policyConstraints);
  if (pcExt) {
    let requireExplicitPolicy: number | undefined;
    let inhibitPolicyMapping: number | undefined;
    for (const t of children(pcExt.value, readWhole(pcExt.value))) {
      if (t.tag === 0x80) requireExplicitPolicy = integer(pcExt.value, t);
      else if (t.tag === 0x81) inhibitPolicyMapping = integer(pcExt.value, t);
      else throw new DerError('bad PolicyConstraints');
    }
    if (requireExplicitPolicy === undefined && inhibitPolicyMapping === undefined)
      problems.push('empty policyConstraints');
    if (!pcExt.critical) problems.push('policyConstraints not critical');
    policyConstraints = {
      critical: pcExt.critical,
      ...(requireExplicitPolicy !== undefined ? { requireExplicitPolicy } : {}),
      ...(inhibitPolicyMapping !== undefined ? { inhibitPolicyMapping } : {}),
    };
  }
  const iapExt = ext(OID.inhibitAnyPolicy);
  const inhibitAnyPolicy = iapExt ? integer(iapExt.value, readWhole(iapExt.value)) : undefined;

  let authorityKeyId: string | undefined;
  const akiExt = ext(OID.authorityKeyIdentifier);
  if (akiExt) {
    for (const t of children(akiExt.value, readWhole(akiExt.value)))
      if (t.tag === 0x80) authorityKeyId = toHex(content(akiExt.value, t));
  }
  let subjectKeyId: string | undefined;
  const skiExt = ext(OID.subjectKeyIdentifier);
  if (skiExt) {
    const t = readWhole(skiExt.value);
    if (t.tag !== 0x04) throw new DerError('bad SubjectKeyIdentifier');
    subjectKeyId = toHex(content(skiExt.value, t));
  }
  const aiaExt = ext(OID.authorityInfoAccess);
  const ocspUrls = aiaExt ? accessUrls(aiaExt.value, '1.3.6.1.5.5.7.48.1') : [];
  const cdpExt = ext(OID.crlDistributionPoints);
  const crlUrls = cdpExt ? distributionPointUrls(cdpExt.value) : [];

  const selfIssued = issuer.key === subject.key;
  if (!selfIssued && authorityKeyId === undefined) problems.push(AKI_MISSING);

  return {
    der,
    key: bytesKey(der),
    tbs: raw(der, tbsTlv),
    signatureAlgorithm: raw(der, sigAlgTlv),
    signature: bitStringValue(der, sigTlv),
    version: version + 1,
    serial,
    issuer,
    subject,
    issuerDer: raw(der, issuerTlv),
    subjectDer: raw(der, subjectTlv),
    notBefore: parseTime(der, nb),
    notAfter: parseTime(der, na),
    spki: raw(der, spkiTlv),
    publicKeyBits: bitStringValue(der, keyBits),
    extensions,
    ...(basicConstraints ? { basicConstraints } : {}),
    ...(keyUsage ? { keyUsage } : {}),
    ...(extKeyUsage ? { extKeyUsage } : {}),
    ...(subjectAltNames ? { subjectAltNames } : {}),
    ...(nameConstraints ? { nameConstraints } : {}),
    ...(policies ? { policies } : {}),
    ...(policyMappings ? { policyMappings } : {}),
    ...(policyConstraints ? { policyConstraints } : {}),
    ...(inhibitAnyPolicy !== undefined ? { inhibitAnyPolicy } : {}),
    ...(authorityKeyId !== undefined ? { authorityKeyId } : {}),
    ...(subjectKeyId !== undefined ? { subjectKeyId } : {}),
    ocspUrls,
    crlUrls,
    selfIssued,
    unknownCritical,
    problems,
  };
}

function equalRaw(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** All names of a certificate that name constraints apply to: subject DN, its emailAddress attributes, SANs. */
export function constrainedNames(cert: ParsedCertificate): GeneralName[] {
  const names: GeneralName[] = [];
  if (cert.subject.rdns.length > 0) names.push({ kind: 'dn', value: cert.subject });
  if (!cert.subjectAltNames) {
    for (const e of cert.subject.emails) names.push({ kind: 'email', value: e });
  }
  if (cert.subjectAltNames) names.push(...cert.subjectAltNames);
  return names;
}

/** A short, safe description of a certificate for error details. */
export function describe(cert: ParsedCertificate): string {
  return cert.subject.text.slice(0, 200);
}
