import { GongjikError } from '@gongjik/errors';
import { children, content, decodeOid, readTlv, readWhole, type Tlv, toHex } from './der.ts';

/** A distinguished name, normalised for comparison (RFC 5280 §7.1, simplified: case and spaces folded). */
export interface DistinguishedName {
  /** One canonical string per RDN, in order. */
  readonly rdns: readonly string[];
  /** A comparison key: equal keys mean equal names. */
  readonly key: string;
  /** emailAddress attributes (PKCS #9), which name constraints treat as rfc822 names. */
  readonly emails: readonly string[];
  /** A readable form for error details (values only, no raw bytes). */
  readonly text: string;
}

export type GeneralName =
  | { readonly kind: 'dns'; readonly value: string }
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'uri'; readonly value: string }
  | { readonly kind: 'ip'; readonly value: Uint8Array }
  | { readonly kind: 'dn'; readonly value: DistinguishedName }
  | { readonly kind: 'other'; readonly value: string }
  | { readonly kind: 'x400' | 'edi' | 'rid'; readonly value: string };

const EMAIL_OID = '1.2.840.113549.1.9.1';
const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
};

function decodeString(bytes: Uint8Array, tlv: Tlv): string | undefined {
  const c = content(bytes, tlv);
  switch (tlv.tag) {
    case 0x0c:
      return new TextDecoder('utf-8', { fatal: true }).decode(c);
    case 0x13:
    case 0x16:
    case 0x12:
    case 0x1a:
    case 0x14:
      return String.fromCharCode(...c);
    case 0x1e: {
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2)
        s += String.fromCharCode(((c[i] as number) << 8) | (c[i + 1] as number));
      return s;
    }
    case 0x1c: {
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) {
        s += String.fromCodePoint(
          (((c[i] as number) << 24) |
            ((c[i + 1] as number) << 16) |
            ((c[i + 2] as number) << 8) |
            (c[i + 3] as number)) >>>
            0,
        );
      }
      return s;
    }
    default:
      return undefined;
  }
}

function fold(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Parses a DER Name (the whole TLV). Throws on malformed input. */
export function parseName(bytes: Uint8Array, tlv: Tlv = readWhole(bytes)): DistinguishedName {
  if (tlv.tag !== 0x30) throw new Error('Name is not a SEQUENCE');
  const rdns: string[] = [];
  const emails: string[] = [];
  const text: string[] = [];
  for (const rdn of children(bytes, tlv)) {
    if (rdn.tag !== 0x31) throw new Error('RDN is not a SET');
    const atvs: string[] = [];
    for (const atv of children(bytes, rdn)) {
      const [typeTlv, valueTlv] = children(bytes, atv);
      if (!typeTlv || !valueTlv || typeTlv.tag !== 0x06) throw new Error('bad AttributeTypeAndValue');
      const oid = decodeOid(content(bytes, typeTlv));
      const str = decodeString(bytes, valueTlv);
      atvs.push(
        `${oid}=${str === undefined ? `#${toHex(bytes.subarray(valueTlv.start, valueTlv.end))}` : fold(str)}`,
      );
      if (oid === EMAIL_OID && str !== undefined) emails.push(str);
      text.push(`${SHORT[oid] ?? oid}=${str ?? '#'}`);
    }
    if (atvs.length === 0) throw new Error('empty RDN');
    rdns.push(atvs.sort().join('+'));
  }
  return { rdns, key: JSON.stringify(rdns), emails, text: text.join(', ') };
}

/** Parses one GeneralName TLV. */
export function parseGeneralName(bytes: Uint8Array, tlv: Tlv): GeneralName {
  const c = content(bytes, tlv);
  const ascii = () => {
    for (const b of c) if (b > 0x7e || b < 0x20) throw new Error('non-ASCII IA5String');
    return String.fromCharCode(...c);
  };
  switch (tlv.tag) {
    case 0xa0: {
      const [oid] = children(bytes, tlv);
      return { kind: 'other', value: oid && oid.tag === 0x06 ? decodeOid(content(bytes, oid)) : '' };
    }
    case 0x81:
      return { kind: 'email', value: ascii() };
    case 0x82:
      return { kind: 'dns', value: ascii() };
    case 0xa3:
      return { kind: 'x400', value: toHex(c) };
    case 0xa4: {
      const inner = readTlv(bytes, tlv.contentStart, tlv.end);
      if (inner.end !== tlv.end) throw new Error('trailing data in directoryName');
      return { kind: 'dn', value: parseName(bytes, inner) };
    }
    case 0xa5:
      return { kind: 'edi', value: toHex(c) };
    case 0x86:
      return { kind: 'uri', value: ascii() };
    case 0x87:
      return { kind: 'ip', value: c.slice() };
    case 0x88:
      return { kind: 'rid', value: decodeOid(c) };
    default:
      throw new Error('unknown GeneralName');
  }
}

export function parseGeneralNames(bytes: Uint8Array, tlv: Tlv): GeneralName[] {
  if (tlv.tag !== 0x30) throw new Error('GeneralNames is not a SEQUENCE');
  return children(bytes, tlv).map((t) => parseGeneralName(bytes, t));
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A host name in preferred name syntax (RFC 1034 §3.5 as modified by RFC 1123). */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((l) => LABEL.test(l))) return false;
  // An all-numeric last label is an IP address written as a DNS name.
  return !/^[0-9]+$/.test(labels[labels.length - 1] as string);
}

/** A dNSName in a certificate: a host name, optionally with a leading `*.` wildcard label. */
export function isDnsSan(name: string): boolean {
  return isHostName(name.startsWith('*.') ? name.slice(2) : name);
}

export function isMailbox(name: string): boolean {
  const at = name.indexOf('@');
  if (at <= 0 || name.indexOf('@', at + 1) !== -1) return false;
  return isHostName(name.slice(at + 1));
}

/** Syntax check of a name-constraint subtree base; false means the constraint is malformed. */
export function isValidConstraint(base: GeneralName): boolean {
  switch (base.kind) {
    case 'dns':
      return base.value === '' || isHostName(base.value);
    case 'email':
      if (base.value.includes('@')) return isMailbox(base.value);
      return isHostName(base.value.startsWith('.') ? base.value.slice(1) : base.value);
    case 'uri':
      return isHostName(base.value.startsWith('.') ? base.value.slice(1) : base.value);
    case 'ip': {
      if (base.value.length !== 8 && base.value.length !== 32) return false;
      const mask = base.value.subarray(base.value.length / 2);
      let seenZero = false;
      for (const byte of mask) {
        for (let bit = 7; bit >= 0; bit--) {
          const set = (byte >> bit) & 1;
          if (set && seenZero) return false;
          if (!set) seenZero = true;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

function dnsWithin(name: string, base: string): boolean {
  return base === '' || name === base || name.endsWith(`.${base}`);
}

/** Does `name` fall inside subtree `base` (same kind)? `mode` matters for wildcard dNSNames. */
export function nameMatches(name: GeneralName, base: GeneralName, mode: 'permitted' | 'excluded'): boolean {
  if (name.kind !== base.kind) return false;
  switch (name.kind) {
    case 'dns': {
      const n = name.value.toLowerCase();
      const b = (base.value as string).toLowerCase();
      if (n.startsWith('*.')) {
        const parent = n.slice(2);
        // Permitted only when every host the wildcard can stand for is inside the subtree;
        // excluded when any of them could be (CVE-2025-61727).
        if (mode === 'permitted') return dnsWithin(parent, b);
        if (dnsWithin(parent, b)) return true;
        const dot = b.indexOf('.');
        return dot > 0 && b.slice(dot + 1) === parent;
      }
      return dnsWithin(n, b);
    }
    case 'email': {
      const b = base.value as string;
      const at = name.value.lastIndexOf('@');
      const domain = name.value.slice(at + 1).toLowerCase();
      if (b.includes('@')) {
        const bAt = b.lastIndexOf('@');
        return name.value.slice(0, at) === b.slice(0, bAt) && domain === b.slice(bAt + 1).toLowerCase();
      }
      if (b.startsWith('.')) return domain.endsWith(b.toLowerCase());
      return domain === b.toLowerCase();
    }
    case 'uri': {
      const host = uriHost(name.value);
      if (host === undefined) return false;
      const b = (base.value as string).toLowerCase();
      return b.startsWith('.') ? host.endsWith(b) : host === b;
    }
    case 'ip': {
      const b = base.value as Uint8Array;
      if (b.length !== name.value.length * 2) return false;
      const len = name.value.length;
      for (let i = 0; i < len; i++) {
        const m = b[len + i] as number;
        if (((name.value[i] as number) & m) !== ((b[i] as number) & m)) return false;
      }
      return true;
    }
    case 'dn': {
      const b = (base.value as DistinguishedName).rdns;
      if (b.length > name.value.rdns.length) return false;
      return b.every((rdn, i) => name.value.rdns[i] === rdn);
    }
    default:
      return false;
  }
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(uri);
  if (!m) return undefined;
  let host = (m[1] as string).replace(/^.*@/, '');
  if (host.startsWith('[')) return undefined;
  host = host.replace(/:\d*$/, '');
  return host.length > 0 ? host.toLowerCase() : undefined;
}

/** Kinds the validator understands in name constraints; a constraint of another kind refuses any such name. */
export const PROCESSED_KINDS = new Set(['dns', 'email', 'uri', 'ip', 'dn']);

/** Name constraints accumulated along a path (RFC 5280 §6.1.2 (b)(c), §6.1.4 (g)). */
export class NameConstraintState {
  /** Each entry is one certificate's permitted subtrees; a name must satisfy every layer that constrains its kind. */
  private readonly permitted: GeneralName[][] = [];
  private readonly excluded: GeneralName[] = [];
  private readonly budget: number;

  constructor(budget = 250_000) {
    this.budget = budget;
  }

  get empty(): boolean {
    return this.permitted.length === 0 && this.excluded.length === 0;
  }

  add(permitted: readonly GeneralName[] | undefined, excluded: readonly GeneralName[] | undefined): void {
    for (const base of [...(permitted ?? []), ...(excluded ?? [])]) {
      if (!isValidConstraint(base))
        throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', { reason: 'malformed constraint' });
    }
    if (permitted && permitted.length > 0) this.permitted.push([...permitted]);
    if (excluded) this.excluded.push(...excluded);
  }

  /** Throws ERR_PKI_NAME_CONSTRAINTS when a name is outside the permitted or inside the excluded subtrees. */
  check(names: readonly GeneralName[], details: Record<string, string | number>): void {
    if (this.empty || names.length === 0) return;
    const total = this.excluded.length + this.permitted.reduce((n, layer) => n + layer.length, 0);
    if (total * names.length > this.budget) {
      throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', {
        ...details,
        reason: 'too many names and constraints to check',
      });
    }
    for (const name of names) {
      for (const base of this.excluded) {
        if (base.kind === name.kind && !PROCESSED_KINDS.has(base.kind)) {
          throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', {
            ...details,
            reason: `unsupported constraint (${base.kind})`,
          });
        }
        if (nameMatches(name, base, 'excluded'))
          throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', { ...details, reason: `excluded ${name.kind}` });
      }
      for (const layer of this.permitted) {
        const sameKind = layer.filter((b) => b.kind === name.kind);
        if (sameKind.length === 0) continue;
        if (!PROCESSED_KINDS.has(name.kind)) {
          throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', {
            ...details,
            reason: `unsupported constraint (${name.kind})`,
          });
        }
        if (!sameKind.some((b) => nameMatches(name, b, 'permitted'))) {
          throw new GongjikError('ERR_PKI_NAME_CONSTRAINTS', {
            ...details,
            reason: `${name.kind} not permitted`,
          });
        }
      }
    }
  }
}
