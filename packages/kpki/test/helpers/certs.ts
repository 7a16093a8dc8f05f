// Test certificates built from @peculiar/asn1-x509 structures and WebCrypto. (@peculiar/x509 needs a
// global Reflect polyfill that kpki does not install, so the tests build the ASN.1 themselves; that
// also lets them make certificates real issuers make and libraries would refuse to write.)
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  BasicConstraints,
  Certificate,
  CertificatePolicies,
  Extension,
  Extensions,
  Name,
  PolicyInformation,
  RelativeDistinguishedName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { ecdsaRawToDer, type WebCryptoKey } from '../../src/sign/webcrypto.ts';

const subtle = globalThis.crypto.subtle;

export type KeyKind = 'rsa' | 'ec' | 'ec-p384';

export interface TestKeys {
  readonly kind: KeyKind;
  readonly privateKey: WebCryptoKey;
  readonly publicKey: WebCryptoKey;
  readonly pkcs8: Uint8Array;
  readonly spki: Uint8Array;
}

const cache = new Map<string, Promise<TestKeys>>();

/** A key pair; the same `slot` returns the same keys within one test process (RSA keygen is slow). */
export function testKeys(kind: KeyKind = 'rsa', slot = 0): Promise<TestKeys> {
  const id = `${kind}:${slot}`;
  let keys = cache.get(id);
  if (!keys) {
    keys = generate(kind);
    cache.set(id, keys);
  }
  return keys;
}

async function generate(kind: KeyKind): Promise<TestKeys> {
  const params =
    kind === 'rsa'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: kind === 'ec' ? 'P-256' : 'P-384' };
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as {
    privateKey: WebCryptoKey;
    publicKey: WebCryptoKey;
  };
  return {
    kind,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    pkcs8: new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey)),
    spki: new Uint8Array(await subtle.exportKey('spki', pair.publicKey)),
  };
}

const TYPES: Record<string, string> = {
  CN: '2.5.4.3',
  OU: '2.5.4.11',
  O: '2.5.4.10',
  C: '2.5.4.6',
  L: '2.5.4.7',
};

/** `CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR` (most specific first, no escapes). */
export function name(dn: string): Name {
  const rdns = dn.split(',').map((part) => {
    const eq = part.indexOf('=');
    const type = part.slice(0, eq).trim();
    const value = part.slice(eq + 1);
    const oid = TYPES[type] ?? type;
    const atv = new AttributeTypeAndValue({
      type: oid,
      value: new AttributeValue(type === 'C' ? { printableString: value } : { utf8String: value }),
    });
    return new RelativeDistinguishedName([atv]);
  });
  return new Name(rdns.reverse());
}

export interface CertOptions {
  readonly subject: string;
  /** Issuer DN; default: self-issued. */
  readonly issuer?: string;
  readonly policies?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly isCa?: boolean;
  /** Subject keys (default: testKeys('rsa', 0)). */
  readonly keys?: TestKeys;
  /** Signing keys (default: the subject keys). */
  readonly issuerKeys?: TestKeys;
  /** Serial as hex (default 0x1001). */
  readonly serial?: string;
  readonly subjectKeyIdentifier?: Uint8Array;
}

function hexBytes(hex: string): ArrayBuffer {
  const clean = hex.length % 2 ? `0${hex}` : hex;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out.buffer;
}

/** Builds and signs a v3 certificate; returns its DER. */
export async function makeCertificate(options: CertOptions): Promise<Uint8Array> {
  const keys = options.keys ?? (await testKeys('rsa', 0));
  const issuerKeys = options.issuerKeys ?? keys;
  const rsa = issuerKeys.kind === 'rsa';
  const signatureAlgorithm = rsa
    ? new AlgorithmIdentifier({
        algorithm: '1.2.840.113549.1.1.11',
        parameters: new Uint8Array([5, 0]).buffer,
      })
    : new AlgorithmIdentifier({
        algorithm: issuerKeys.kind === 'ec' ? '1.2.840.10045.4.3.2' : '1.2.840.10045.4.3.3',
      });
  const extensions: Extension[] = [];
  if (options.policies?.length) {
    const policies = new CertificatePolicies(
      options.policies.map((p) => new PolicyInformation({ policyIdentifier: p })),
    );
    extensions.push(new Extension({ extnID: '2.5.29.32', critical: false, extnValue: serialize(policies) }));
  }
  if (options.isCa !== undefined) {
    const bc = new BasicConstraints({ cA: options.isCa });
    extensions.push(new Extension({ extnID: '2.5.29.19', critical: true, extnValue: serialize(bc) }));
  }
  if (options.subjectKeyIdentifier) {
    const ski = new SubjectKeyIdentifier(options.subjectKeyIdentifier);
    extensions.push(new Extension({ extnID: '2.5.29.14', critical: false, extnValue: serialize(ski) }));
  }
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: hexBytes(options.serial ?? '1001'),
    signature: signatureAlgorithm,
    issuer: name(options.issuer ?? options.subject),
    validity: new Validity({
      notBefore: options.notBefore ?? new Date('2025-01-01T00:00:00Z'),
      notAfter: options.notAfter ?? new Date('2027-01-01T00:00:00Z'),
    }),
    subject: name(options.subject),
    subjectPublicKeyInfo: AsnConvert.parse(keys.spki, SubjectPublicKeyInfo),
    ...(extensions.length ? { extensions: new Extensions(extensions) } : {}),
  });
  const tbsDer = AsnConvert.serialize(tbs);
  const params = rsa
    ? { name: 'RSASSA-PKCS1-v1_5' }
    : { name: 'ECDSA', hash: issuerKeys.kind === 'ec' ? 'SHA-256' : 'SHA-384' };
  let signature = new Uint8Array(await subtle.sign(params, issuerKeys.privateKey, tbsDer));
  if (!rsa) signature = ecdsaRawToDer(signature);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm, signatureValue: signature.buffer });
  return new Uint8Array(AsnConvert.serialize(cert));
}

function serialize(value: object): OctetString {
  return new OctetString(AsnConvert.serialize(value));
}

export const GPKI_ISSUER = 'CN=CA131100001,OU=GPKI,O=Government of Korea,C=KR';
export const NPKI_ISSUER = 'CN=yessignCA Class 2,OU=AccreditedCA,O=yessign,C=KR';
export const POLICY = {
  gpkiPersonal: '1.2.410.100001.2.2.1',
  gpkiSpecial: '1.2.410.100001.2.1.3',
  epkiPersonal: '1.2.410.100001.5.3.1.3',
  yessignPersonal: '1.2.410.200005.1.1.1',
  crosscertPersonal: '1.2.410.200004.5.4.1.1',
  tradesignPersonal: '1.2.410.200012.1.1.1',
} as const;

export function pem(der: Uint8Array): string {
  const lines = Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
}
