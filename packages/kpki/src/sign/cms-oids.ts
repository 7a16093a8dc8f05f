// CMS object identifiers (RFC 5652 §14, RFC 5754, RFC 3279/5758).
export const OID_DATA = '1.2.840.113549.1.7.1';
export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_ATTR_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_ATTR_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_ATTR_SIGNING_TIME = '1.2.840.113549.1.9.5';

export const DIGESTS: Readonly<Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'>> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const RSA_WITH: Readonly<Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'>> = {
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
export const ECDSA_WITH: Readonly<Record<string, 'SHA-256' | 'SHA-384' | 'SHA-512'>> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
