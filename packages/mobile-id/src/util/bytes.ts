import { base64url } from 'jose';
import { ensure } from './fail.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function b64u(data: Uint8Array | string): string {
  return base64url.encode(data);
}

const B64U = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url (no padding), throwing ERR_MID_MALFORMED naming `part` on bad input. */
export function fromB64u(text: string, part: string): Uint8Array<ArrayBuffer> {
  ensure(typeof text === 'string' && B64U.test(text) && text.length % 4 !== 1, part);
  try {
    return base64url.decode(text) as Uint8Array<ArrayBuffer>;
  } catch {
    ensure(false, part);
  }
}

/** Parses base64url-encoded JSON that must be an object (JWT header or payload). */
export function jsonObjectFromB64u(text: string, part: string): Record<string, unknown> {
  const value = jsonFromB64u(text, part);
  ensure(isObject(value), part);
  return value;
}

export function jsonFromB64u(text: string, part: string): unknown {
  const bytes = fromB64u(text, part);
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch {
    ensure(false, part);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Constant-time comparison of two strings of public length (nonces, digests). */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
