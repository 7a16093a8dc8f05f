// Thin helpers over asn1js for the key-file structures: strict decoding of one DER/BER value (no
// trailing bytes), typed accessors that answer null instead of throwing, and DER writing.
import * as asn1js from 'asn1js';

export type Node = ReturnType<typeof asn1js.fromBER>['result'];

/** Decodes exactly one value filling all of `bytes`; null when it is not well-formed. */
export function decode(bytes: Uint8Array): Node | null {
  try {
    const { offset, result } = asn1js.fromBER(bytes, { parseEmbedded: false, maxDepth: 32, maxNodes: 4096 });
    if (offset !== bytes.length || result.error) return null;
    return result;
  } catch {
    return null;
  }
}

export function sequenceItems(node: Node | null | undefined): Node[] | null {
  return node instanceof asn1js.Sequence ? (node.valueBlock.value as Node[]) : null;
}

export function setItems(node: Node | null | undefined): Node[] | null {
  return node instanceof asn1js.Set ? (node.valueBlock.value as Node[]) : null;
}

/** Items of a constructed context-specific [n] value (IMPLICIT SET/SEQUENCE or EXPLICIT). */
export function contextItems(node: Node | null | undefined, n: number): Node[] | null {
  if (node?.idBlock.tagClass !== 3 || node.idBlock.tagNumber !== n || !node.idBlock.isConstructed)
    return null;
  return (node as asn1js.Constructed).valueBlock.value as Node[];
}

export function isContext(node: Node | null | undefined, n: number): boolean {
  return !!node && node.idBlock.tagClass === 3 && node.idBlock.tagNumber === n;
}

export function oid(node: Node | null | undefined): string | null {
  return node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : null;
}

export function octets(node: Node | null | undefined): Uint8Array | null {
  if (!(node instanceof asn1js.OctetString)) return null;
  return new Uint8Array(node.getValue());
}

/** A non-negative INTEGER no larger than 2^53 − 1, or null. */
export function smallInt(node: Node | null | undefined): number | null {
  if (!(node instanceof asn1js.Integer)) return null;
  const v = node.toBigInt();
  return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

export function bigInt(node: Node | null | undefined): bigint | null {
  return node instanceof asn1js.Integer ? node.toBigInt() : null;
}

/** The bytes of a BIT STRING with no unused bits, or null. */
export function bitStringBytes(node: Node | null | undefined): Uint8Array | null {
  if (!(node instanceof asn1js.BitString) || node.valueBlock.unusedBits !== 0) return null;
  return new Uint8Array(node.valueBlock.valueHexView);
}

export function isNull(node: Node | null | undefined): boolean {
  return node instanceof asn1js.Null;
}

/** The encoded bytes of a decoded value, exactly as they were read. */
export function raw(node: Node): Uint8Array {
  return node.valueBeforeDecodeView;
}

// ---- writing -----------------------------------------------------------------------------------

/** One DER TLV with a definite length. */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const len = contents.reduce((n, c) => n + c.length, 0);
  const lenBytes: number[] = [];
  if (len < 0x80) lenBytes.push(len);
  else {
    for (let l = len; l > 0; l = Math.floor(l / 256)) lenBytes.unshift(l & 0xff);
    lenBytes.unshift(0x80 | lenBytes.length);
  }
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  let off = 1 + lenBytes.length;
  for (const c of contents) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  sequence: 0x30,
  set: 0x31,
  context0: 0xa0,
};

export function encodeOid(value: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value }).toBER());
}

export function encodeInt(value: number): Uint8Array {
  return new Uint8Array(new asn1js.Integer({ value }).toBER());
}

export const DER_NULL = new Uint8Array([0x05, 0x00]);
