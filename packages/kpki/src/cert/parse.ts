import { GongjikError } from '@gongjik/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { fromBase64 } from './bytes.ts';

/** Upper bound for one certificate, DER or PEM. Real GPKI/NPKI certificates are 1–2 KiB. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

export type CertificateInput = Uint8Array | ArrayBuffer | string;

const PEM =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/;

function malformed(reason: string, cause?: unknown): GongjikError {
  return new GongjikError('ERR_PKI_CERT_MALFORMED', { reason }, cause === undefined ? undefined : { cause });
}

/**
 * Turns DER bytes, PEM text (string or bytes) into DER bytes, bounded to 64 KiB.
 * Throws ERR_PKI_CERT_MALFORMED on anything else.
 */
export function certificateDer(input: CertificateInput): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    if (input.length > MAX_CERTIFICATE_BYTES * 2) throw malformed('too-large');
    return pemToDer(input);
  }
  bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength > MAX_CERTIFICATE_BYTES) throw malformed('too-large');
  if (bytes.byteLength === 0) throw malformed('empty');
  // PEM saved with a .cer/.der name happens; its first byte is '-' (DER starts with 0x30).
  if (bytes[0] === 0x2d) {
    return pemToDer(new TextDecoder('latin1').decode(bytes));
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function pemToDer(text: string): Uint8Array<ArrayBuffer> {
  const match = PEM.exec(text);
  const der = match ? fromBase64(match[1]!) : null;
  if (!der || der.byteLength === 0) throw malformed('not-pem');
  if (der.byteLength > MAX_CERTIFICATE_BYTES) throw malformed('too-large');
  return der;
}

/** Length of the outer DER TLV at the start of `der`, or -1 when the header is not DER. */
function outerLength(der: Uint8Array): number {
  if (der.byteLength < 2 || der[0] !== 0x30) return -1;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 3 || der.byteLength < 2 + count) return -1;
  let len = 0;
  for (let i = 0; i < count; i++) len = len * 256 + der[2 + i]!;
  return 2 + count + len;
}

/** Parses an X.509 certificate (DER or PEM). ERR_PKI_CERT_MALFORMED on garbage or trailing bytes. */
export function parseCertificate(input: CertificateInput): {
  der: Uint8Array<ArrayBuffer>;
  cert: Certificate;
} {
  const der = certificateDer(input);
  if (outerLength(der) !== der.byteLength) throw malformed('not-der');
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (err) {
    throw malformed('not-x509', err);
  }
  return { der, cert };
}
