import { GongjikError } from '@gongjik/errors';
import { parseTime } from './cert.ts';
import { bigIntOf } from './crypto.ts';
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
import { type DistinguishedName, parseName } from './names.ts';

const CRL_EXT = {
  authorityKeyIdentifier: '2.5.29.35',
  crlNumber: '2.5.29.20',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCrl: '2.5.29.46',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  issuerAltName: '2.5.29.18',
} as const;
const ENTRY_EXT = {
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  certificateIssuer: '2.5.29.29',
} as const;

export interface RevokedEntry {
  readonly revokedAt: Date;
  readonly reason?: number;
}

/** A parsed CRL: revoked serials in a Map for O(1) lookup. */
export interface ParsedCrl {
  readonly der: Uint8Array;
  readonly key: string;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: Uint8Array;
  readonly signature: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly crlNumber?: bigint;
  readonly authorityKeyId?: string;
  readonly delta: boolean;
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  /** Partitioned by reason, indirect or attribute-certificate CRLs: not a complete CRL for our purpose. */
  readonly partial: boolean;
  /** Serial (lower-case hex, no leading zero octets) → entry. */
  readonly revoked: ReadonlyMap<string, RevokedEntry>;
  /** RFC 5280 §5 violations; any makes the CRL unusable. */
  readonly problems: readonly string[];
}

function normalizeSerial(c: Uint8Array): string {
  let s = 0;
  while (s < c.length - 1 && c[s] === 0) s++;
  return toHex(c.subarray(s));
}

/** Parses a DER CRL; throws ERR_PKI_CRL_INVALID when it is not one. */
export function parseCrl(input: Uint8Array): ParsedCrl {
  try {
    return parseUnsafe(input.slice());
  } catch (err) {
    if (err instanceof GongjikError) throw err;
    throw new GongjikError(
      'ERR_PKI_CRL_INVALID',
      { reason: err instanceof Error ? err.message : 'unreadable' },
      { cause: err },
    );
  }
}

function parseUnsafe(der: Uint8Array): ParsedCrl {
  const problems: string[] = [];
  const top = readWhole(der);
  const [tbsTlv, sigAlgTlv, sigTlv, ...extra] = children(der, top);
  if (top.tag !== 0x30 || !tbsTlv || !sigAlgTlv || sigTlv?.tag !== 0x03 || extra.length > 0)
    throw new DerError('not a CertificateList');
  const fields = children(der, tbsTlv);
  let i = 0;
  if (fields[0]?.tag === 0x02) i++;
  const innerAlg = fields[i++];
  const issuerTlv = fields[i++];
  const thisUpdateTlv = fields[i++];
  if (!innerAlg || !issuerTlv || !thisUpdateTlv) throw new DerError('truncated TBSCertList');
  if (bytesKey(raw(der, innerAlg)) !== bytesKey(raw(der, sigAlgTlv)))
    problems.push('signature algorithm mismatch');
  let nextUpdate: Date | undefined;
  if (fields[i] && (fields[i]?.tag === 0x17 || fields[i]?.tag === 0x18))
    nextUpdate = parseTime(der, fields[i++] as Tlv);
  const revoked = new Map<string, RevokedEntry>();
  if (fields[i]?.tag === 0x30) {
    for (const entry of children(der, fields[i++] as Tlv)) {
      const [serialTlv, dateTlv, extsTlv] = children(der, entry);
      if (serialTlv?.tag !== 0x02 || !dateTlv) throw new DerError('bad revoked entry');
      let reason: number | undefined;
      if (extsTlv) {
        for (const ext of children(der, extsTlv)) {
          const { oid, critical, value } = extension(der, ext);
          if (oid === ENTRY_EXT.reasonCode) reason = Number(bigIntOf(content(value, readWhole(value))));
          else if (oid === ENTRY_EXT.certificateIssuer)
            problems.push('indirect CRL entries are not supported');
          else if (critical && oid !== ENTRY_EXT.invalidityDate)
            problems.push(`unknown critical entry extension ${oid}`);
        }
      }
      const revokedAt = parseTime(der, dateTlv);
      revoked.set(
        normalizeSerial(content(der, serialTlv)),
        reason === undefined ? { revokedAt } : { revokedAt, reason },
      );
    }
  }
  let crlNumber: bigint | undefined;
  let authorityKeyId: string | undefined;
  let delta = false;
  let onlyUserCerts = false;
  let onlyCaCerts = false;
  let partial = false;
  const seen = new Set<string>();
  if (fields[i]?.tag === 0xa0) {
    const list = readTlv(der, (fields[i] as Tlv).contentStart, (fields[i] as Tlv).end);
    for (const ext of children(der, list)) {
      const { oid, critical, value } = extension(der, ext);
      if (seen.has(oid)) problems.push(`duplicate CRL extension ${oid}`);
      seen.add(oid);
      switch (oid) {
        case CRL_EXT.crlNumber: {
          const t = readWhole(value);
          if (t.tag !== 0x02) throw new DerError('bad CRLNumber');
          crlNumber = bigIntOf(content(value, t));
          if (critical) problems.push('CRLNumber marked critical');
          break;
        }
        case CRL_EXT.authorityKeyIdentifier:
          for (const t of children(value, readWhole(value)))
            if (t.tag === 0x80) authorityKeyId = toHex(content(value, t));
          break;
        case CRL_EXT.deltaCrlIndicator:
          delta = true;
          break;
        case CRL_EXT.issuingDistributionPoint:
          for (const t of children(value, readWhole(value))) {
            const on = t.tag >= 0x81 && t.tag <= 0x85 && value[t.contentStart] !== 0;
            if (t.tag === 0x81 && on) onlyUserCerts = true;
            else if (t.tag === 0x82 && on) onlyCaCerts = true;
            else if (t.tag === 0x83 || (t.tag === 0x84 && on) || (t.tag === 0x85 && on)) partial = true;
          }
          break;
        case CRL_EXT.freshestCrl:
        case CRL_EXT.authorityInfoAccess:
        case CRL_EXT.issuerAltName:
          break;
        default:
          if (critical) problems.push(`unknown critical CRL extension ${oid}`);
      }
    }
  }
  if (crlNumber === undefined) problems.push('CRLNumber missing');
  const sigContent = content(der, sigTlv);
  return {
    der,
    key: bytesKey(der),
    tbs: raw(der, tbsTlv),
    signatureAlgorithm: raw(der, sigAlgTlv),
    signature: sigContent.subarray(1),
    issuer: parseName(der, issuerTlv),
    thisUpdate: parseTime(der, thisUpdateTlv),
    ...(nextUpdate ? { nextUpdate } : {}),
    ...(crlNumber !== undefined ? { crlNumber } : {}),
    ...(authorityKeyId !== undefined ? { authorityKeyId } : {}),
    delta,
    onlyUserCerts,
    onlyCaCerts,
    partial,
    revoked,
    problems,
  };
}

function extension(der: Uint8Array, ext: Tlv): { oid: string; critical: boolean; value: Uint8Array } {
  const parts = children(der, ext);
  const oidTlv = parts[0];
  const valueTlv = parts[parts.length - 1];
  if (oidTlv?.tag !== 0x06 || valueTlv?.tag !== 0x04) throw new DerError('bad Extension');
  const critical = parts.length === 3 && der[(parts[1] as Tlv).contentStart] !== 0;
  return { oid: decodeOid(content(der, oidTlv)), critical, value: content(der, valueTlv) };
}
