// Accepts a key file as DER or as PEM ("-----BEGIN ENCRYPTED PRIVATE KEY-----").
import { GongjikError } from '@gongjik/errors';
import { MAX_KEY_FILE_BYTES } from './limits.ts';

const LABEL = 'ENCRYPTED PRIVATE KEY';

function startsWithPem(file: Uint8Array): boolean {
  let i = 0;
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < file.length && (file[i] === 0x20 || file[i] === 0x09 || file[i] === 0x0d || file[i] === 0x0a))
    i++;
  return file[i] === 0x2d; // '-'
}

/** The DER bytes of a key file given as DER or PEM; PEM that is not one well-formed block is malformed. */
export function keyFileDer(file: Uint8Array): Uint8Array {
  if (file.length > MAX_KEY_FILE_BYTES) throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
  if (!startsWithPem(file)) return file;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
  }
  const m = /^\uFEFF?\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s]*?)-----END \1-----\s*$/.exec(text);
  if (!m) throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
  if (m[1] !== LABEL) {
    throw new GongjikError('ERR_PKI_KEY_ALGORITHM_UNSUPPORTED', { algorithm: `PEM ${m[1]!.slice(0, 40)}` });
  }
  const b64 = m[2]!.replace(/\s+/g, '');
  if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED');
  }
  const bin = atob(b64);
  const der = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) der[i] = bin.charCodeAt(i);
  return der;
}

/** PEM text of DER key-file bytes (64-character lines, as OpenSSL writes). */
export function keyFilePem(der: Uint8Array): string {
  let bin = '';
  for (const b of der) bin += String.fromCharCode(b);
  const lines = btoa(bin).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${LABEL}-----\n${lines.join('\n')}\n-----END ${LABEL}-----\n`;
}
