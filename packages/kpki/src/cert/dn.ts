import type { Name } from '@peculiar/asn1-x509';
import { ATTRIBUTE_NAMES, OID_COMMON_NAME } from './oids.ts';

export interface NameAttribute {
  /** Short name (`CN`, `O`, …) or the dotted OID when there is none. */
  readonly type: string;
  readonly oid: string;
  readonly value: string;
}

/** A distinguished name as people and code read it. */
export interface DistinguishedName {
  /** RFC 4514 string, most specific first: `CN=…,OU=GPKI,O=Government of Korea,C=KR`. */
  readonly dn: string;
  /** The most specific common name, or null when there is none. */
  readonly cn: string | null;
  /** Attributes in encoded order (least specific first, as in the certificate). */
  readonly attributes: readonly NameAttribute[];
}

function attributeText(value: { toString(): string; anyValue?: ArrayBuffer }): string {
  // Unknown string types come back as hex of the raw value: mark them the RFC 4514 way.
  const text = value.toString();
  return value.anyValue ? `#${text}` : text;
}

function escapeValue(value: string): string {
  let out = value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/\p{Cc}/gu, (c) => {
      return `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    });
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

export function readName(name: Name): DistinguishedName {
  const attributes: NameAttribute[] = [];
  const rdnTexts: string[] = [];
  for (const rdn of name) {
    const parts: string[] = [];
    for (const atv of rdn) {
      const type = ATTRIBUTE_NAMES[atv.type] ?? atv.type;
      const value = attributeText(atv.value);
      attributes.push({ type, oid: atv.type, value });
      parts.push(`${type}=${atv.value.anyValue ? value : escapeValue(value)}`);
    }
    rdnTexts.push(parts.join('+'));
  }
  let cn: string | null = null;
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (attributes[i]!.oid === OID_COMMON_NAME) {
      cn = attributes[i]!.value;
      break;
    }
  }
  return { dn: rdnTexts.reverse().join(','), cn, attributes };
}

/** Values of one attribute type (by OID), in encoded order. */
export function attributeValues(name: DistinguishedName, oid: string): string[] {
  return name.attributes.filter((a) => a.oid === oid).map((a) => a.value);
}
