// Reading CMS with asn1js while keeping the exact bytes of each element (signatures cover bytes, not
// values). Any structural surprise is ERR_PKI_CMS_MALFORMED.
import { GongjikError } from '@gongjik/errors';
import * as asn1js from 'asn1js';

export interface Node {
  readonly idBlock: {
    readonly tagClass: number;
    readonly tagNumber: number;
    readonly isConstructed: boolean;
  };
  readonly valueBlock: { readonly value?: unknown; readonly valueHexView?: Uint8Array };
  readonly valueBeforeDecodeView: Uint8Array;
}

export const UNIVERSAL = 1;
export const CONTEXT = 3;
export const TAG = { INTEGER: 2, OCTET_STRING: 4, NULL: 5, OID: 6, SEQUENCE: 16, SET: 17 } as const;

export function malformed(reason: string, cause?: unknown): GongjikError {
  return new GongjikError('ERR_PKI_CMS_MALFORMED', { reason }, cause === undefined ? undefined : { cause });
}

/** Parses exactly one element spanning all of `bytes`. */
export function parseExact(bytes: Uint8Array, reason: string): Node {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const parsed = asn1js.fromBER(copy);
  if (parsed.offset === -1 || parsed.offset !== copy.byteLength) throw malformed(reason);
  return parsed.result as unknown as Node;
}

export function is(node: Node | undefined, tagClass: number, tagNumber: number): node is Node {
  return node !== undefined && node.idBlock.tagClass === tagClass && node.idBlock.tagNumber === tagNumber;
}

export function expect(node: Node | undefined, tagClass: number, tagNumber: number, reason: string): Node {
  if (!is(node, tagClass, tagNumber)) throw malformed(reason);
  return node;
}

export function children(node: Node, reason: string): Node[] {
  const value = node.valueBlock.value;
  if (!node.idBlock.isConstructed || !Array.isArray(value)) throw malformed(reason);
  // asn1js keeps the end-of-contents marker of indefinite lengths as a child; drop it.
  return (value as Node[]).filter((c) => !(c.idBlock.tagClass === UNIVERSAL && c.idBlock.tagNumber === 0));
}

export function oidOf(node: Node | undefined, reason: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw malformed(reason);
  return node.valueBlock.toString();
}

export function primitiveBytes(node: Node, reason: string): Uint8Array {
  const hex = node.valueBlock.valueHexView;
  if (node.idBlock.isConstructed || !hex) throw malformed(reason);
  return hex;
}

export function timeOf(node: Node | undefined): Date | null {
  if (node instanceof asn1js.UTCTime || node instanceof asn1js.GeneralizedTime) return node.toDate();
  return null;
}
