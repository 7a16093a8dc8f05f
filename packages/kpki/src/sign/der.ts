// A minimal DER writer for the CMS we produce: we assemble exact bytes (the signer's certificate and
// its issuer name are copied, never re-encoded).
import * as asn1js from 'asn1js';
import { concatBytes } from '../cert/bytes.ts';

export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = concatBytes(...content);
  const n = body.byteLength;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else if (n < 0x100) header = [tag, 0x81, n];
  else if (n < 0x10000) header = [tag, 0x82, n >> 8, n & 0xff];
  else header = [tag, 0x83, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return concatBytes(new Uint8Array(header), body);
}

export const seq = (...c: readonly Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: readonly Uint8Array[]) => tlv(0x31, ...c);
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
export const smallInt = (n: number) => tlv(0x02, new Uint8Array([n]));
export const nullValue = () => new Uint8Array([0x05, 0x00]);

export function oid(dotted: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER(false));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds, Z. */
export function time(date: Date): Uint8Array<ArrayBuffer> {
  const y = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  const text = y >= 1950 && y < 2050 ? `${two(y % 100)}${rest}` : `${String(y).padStart(4, '0')}${rest}`;
  return tlv(y >= 1950 && y < 2050 ? 0x17 : 0x18, new TextEncoder().encode(text));
}
