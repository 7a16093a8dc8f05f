// Builds small test PKIs with @peculiar/x509 and WebCrypto: CAs, leaves, CRLs and OCSP responses,
// with a knob for every extension the path validator looks at.
import './reflect.ts';
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1 from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

const subtle = globalThis.crypto.subtle;
type CryptoKey = Awaited<ReturnType<typeof subtle.importKey>>;
type CryptoKeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };
type SignAlg = Parameters<typeof subtle.sign>[0] & { name: string; hash?: string };
x509.cryptoProvider.set(globalThis.crypto);

export type KeyKind = 'ec' | 'ec384' | 'rsa' | 'rsa-pss';

export interface KeyPair {
  readonly kind: KeyKind;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

const keyCache = new Map<KeyKind, KeyPair[]>();

/** A fresh key pair (RSA keys are slow to make, so a few are made and reused). */
export async function makeKey(kind: KeyKind = 'ec'): Promise<KeyPair> {
  if (kind === 'rsa' || kind === 'rsa-pss') {
    const pool = keyCache.get(kind) ?? [];
    if (pool.length < 3) {
      const alg = {
        name: kind === 'rsa' ? 'RSASSA-PKCS1-v1_5' : 'RSA-PSS',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
      const pair = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
      pool.push({ kind, privateKey: pair.privateKey, publicKey: pair.publicKey });
      keyCache.set(kind, pool);
    }
    return pool[pool.length - 1] as KeyPair;
  }
  const pair = (await subtle.generateKey(
    { name: 'ECDSA', namedCurve: kind === 'ec384' ? 'P-384' : 'P-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  return { kind, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

function signingAlgorithm(kind: KeyKind): SignAlg {
  if (kind === 'ec') return { name: 'ECDSA', hash: 'SHA-256' };
  if (kind === 'ec384') return { name: 'ECDSA', hash: 'SHA-384' };
  if (kind === 'rsa-pss') return { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

export type Gn = { dns: string } | { email: string } | { ip: Uint8Array } | { dn: string } | { uri: string };

function generalName(g: Gn): asn1.GeneralName {
  if ('dns' in g) return new asn1.GeneralName({ dNSName: g.dns });
  if ('email' in g) return new asn1.GeneralName({ rfc822Name: g.email });
  if ('uri' in g) return new asn1.GeneralName({ uniformResourceIdentifier: g.uri });
  if ('dn' in g)
    return new asn1.GeneralName({
      directoryName: AsnConvert.parse(new x509.Name(g.dn).toArrayBuffer(), asn1.Name),
    });
  // iPAddress with a netmask (8 or 32 octets) is written by hand: asn1-x509's converter takes only addresses.
  return new asn1.GeneralName({ iPAddress: Array.from(g.ip).join('.') });
}

function rawExtension(oid: string, critical: boolean, value: ArrayBuffer): x509.Extension {
  return new x509.Extension(oid, critical, value);
}

export interface CertOptions {
  /** Written in DER order (@peculiar/x509 keeps the string order): C first, CN last. */
  subject: string;
  key?: KeyPair;
  keyKind?: KeyKind;
  serial?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** null leaves the extension out. Default: CA → { ca: true, critical: true }; leaf → none. */
  basicConstraints?: { ca: boolean; pathLen?: number; critical?: boolean } | null;
  /** KeyUsageFlags bits; null leaves it out. Default: CA → keyCertSign|cRLSign; leaf → digitalSignature|nonRepudiation. */
  keyUsage?: number | null;
  extKeyUsage?: string[];
  policies?: string[];
  policyMappings?: Array<[string, string]>;
  policyConstraints?: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number };
  inhibitAnyPolicy?: number;
  nameConstraints?: { permitted?: Gn[]; excluded?: Gn[]; critical?: boolean };
  san?: Gn[];
  ocspUrl?: string;
  crlUrl?: string;
  /** An extra extension (e.g. an unknown critical one). */
  extra?: { oid: string; critical: boolean; value: Uint8Array }[];
}

export interface TestCert {
  readonly der: Uint8Array;
  readonly cert: x509.X509Certificate;
  readonly key: KeyPair;
  readonly serial: string;
}

let serialCounter = 0x1000;
const DEFAULT_NOT_BEFORE = new Date('2024-01-01T00:00:00Z');
const DEFAULT_NOT_AFTER = new Date('2030-01-01T00:00:00Z');

async function build(opts: CertOptions, isCa: boolean, issuer: TestCa | undefined): Promise<TestCert> {
  const key = opts.key ?? (await makeKey(opts.keyKind ?? issuer?.key.kind ?? 'ec'));
  const signer = issuer ? issuer.key : key;
  const serial = opts.serial ?? (serialCounter++).toString(16).padStart(6, '0');
  const ext: x509.Extension[] = [];
  const bc =
    opts.basicConstraints === undefined
      ? isCa
        ? { ca: true, critical: true }
        : null
      : opts.basicConstraints;
  if (bc) ext.push(new x509.BasicConstraintsExtension(bc.ca, bc.pathLen, bc.critical ?? true));
  const ku =
    opts.keyUsage === undefined
      ? isCa
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
      : opts.keyUsage;
  if (ku !== null) ext.push(new x509.KeyUsagesExtension(ku, true));
  if (opts.extKeyUsage) ext.push(new x509.ExtendedKeyUsageExtension(opts.extKeyUsage, false));
  if (opts.policies) ext.push(new x509.CertificatePolicyExtension(opts.policies, false));
  if (opts.policyMappings) {
    const value = new asn1.PolicyMappings(
      opts.policyMappings.map(
        ([a, b]) => new asn1.PolicyMapping({ issuerDomainPolicy: a, subjectDomainPolicy: b } as never),
      ),
    );
    ext.push(rawExtension(asn1.id_ce_policyMappings, true, AsnConvert.serialize(value)));
  }
  if (opts.policyConstraints) {
    const int = (n: number) => new Uint8Array([n]).buffer;
    const value = new asn1.PolicyConstraints({
      ...(opts.policyConstraints.requireExplicitPolicy !== undefined
        ? { requireExplicitPolicy: int(opts.policyConstraints.requireExplicitPolicy) }
        : {}),
      ...(opts.policyConstraints.inhibitPolicyMapping !== undefined
        ? { inhibitPolicyMapping: int(opts.policyConstraints.inhibitPolicyMapping) }
        : {}),
    });
    ext.push(rawExtension(asn1.id_ce_policyConstraints, true, AsnConvert.serialize(value)));
  }
  if (opts.inhibitAnyPolicy !== undefined) {
    ext.push(
      rawExtension(
        asn1.id_ce_inhibitAnyPolicy,
        true,
        new Uint8Array([0x02, 0x01, opts.inhibitAnyPolicy]).buffer,
      ),
    );
  }
  if (opts.nameConstraints) {
    const subtrees = (list: Gn[] | undefined) =>
      list
        ? new asn1.GeneralSubtrees(list.map((g) => new asn1.GeneralSubtree({ base: generalName(g) })))
        : undefined;
    const permitted = subtrees(opts.nameConstraints.permitted);
    const excluded = subtrees(opts.nameConstraints.excluded);
    const value = new asn1.NameConstraints({
      ...(permitted ? { permittedSubtrees: permitted } : {}),
      ...(excluded ? { excludedSubtrees: excluded } : {}),
    });
    ext.push(
      rawExtension(
        asn1.id_ce_nameConstraints,
        opts.nameConstraints.critical ?? true,
        AsnConvert.serialize(value),
      ),
    );
  }
  if (opts.san) {
    const value = new asn1.SubjectAlternativeName(opts.san.map(generalName));
    ext.push(rawExtension(asn1.id_ce_subjectAltName, false, AsnConvert.serialize(value)));
  }
  if (opts.ocspUrl) ext.push(new x509.AuthorityInfoAccessExtension({ ocsp: [opts.ocspUrl] }));
  if (opts.crlUrl) ext.push(new x509.CRLDistributionPointsExtension([opts.crlUrl]));
  ext.push(await x509.SubjectKeyIdentifierExtension.create(key.publicKey));
  if (issuer) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.key.publicKey));
  for (const e of opts.extra ?? []) ext.push(rawExtension(e.oid, e.critical, e.value.slice().buffer));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: opts.subject,
    issuer: issuer ? issuer.cert.subject : opts.subject,
    notBefore: opts.notBefore ?? DEFAULT_NOT_BEFORE,
    notAfter: opts.notAfter ?? DEFAULT_NOT_AFTER,
    publicKey: key.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithm(signer.kind),
    extensions: ext,
  });
  return { der: new Uint8Array(cert.rawData), cert, key, serial };
}

export interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  revoked?: { serial: string; at?: Date; reason?: x509.X509CrlReason }[];
  crlNumber?: number | null;
  crlNumberCritical?: boolean;
  extra?: { oid: string; critical: boolean; value: Uint8Array }[];
  /** Sign with another key (a forged CRL). */
  signWith?: KeyPair;
}

export interface OcspOptions {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate?: Date;
  nextUpdate?: Date;
  revokedAt?: Date;
  /** Sign with another key (a forged response). */
  signWith?: KeyPair;
}

/** A certification authority of a test PKI. */
export class TestCa implements TestCert {
  readonly der: Uint8Array;
  readonly cert: x509.X509Certificate;
  readonly key: KeyPair;
  readonly serial: string;

  constructor(made: TestCert) {
    this.der = made.der;
    this.cert = made.cert;
    this.key = made.key;
    this.serial = made.serial;
  }

  static async root(opts: Partial<CertOptions> = {}): Promise<TestCa> {
    return new TestCa(
      await build({ subject: 'C=KR,O=Gongjik Test,CN=Test Root CA', ...opts }, true, undefined),
    );
  }

  async intermediate(opts: Partial<CertOptions> = {}): Promise<TestCa> {
    return new TestCa(
      await build({ subject: 'C=KR,O=Government of Korea,OU=GPKI,CN=CA131100001', ...opts }, true, this),
    );
  }

  async leaf(opts: Partial<CertOptions> = {}): Promise<TestCert> {
    return build(
      { subject: 'C=KR,O=Government of Korea,OU=행정안전부,OU=people,CN=850홍길동001', ...opts },
      false,
      this,
    );
  }

  async crl(opts: CrlOptions = {}): Promise<Uint8Array> {
    const ext: x509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(this.key.publicKey)];
    if (opts.crlNumber !== null) {
      ext.push(
        rawExtension(
          asn1.id_ce_cRLNumber,
          opts.crlNumberCritical ?? false,
          new Uint8Array([0x02, 0x01, opts.crlNumber ?? 1]).buffer,
        ),
      );
    }
    for (const e of opts.extra ?? []) ext.push(rawExtension(e.oid, e.critical, e.value.slice().buffer));
    const signer = opts.signWith ?? this.key;
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.cert.subject,
      thisUpdate: opts.thisUpdate ?? new Date('2025-01-01T00:00:00Z'),
      ...(opts.nextUpdate === null
        ? {}
        : { nextUpdate: opts.nextUpdate ?? new Date('2025-01-08T00:00:00Z') }),
      entries: (opts.revoked ?? []).map((r) => ({
        serialNumber: r.serial,
        revocationDate: r.at ?? new Date('2024-12-01T00:00:00Z'),
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
      })),
      extensions: ext,
      signingKey: signer.privateKey,
      signingAlgorithm: signingAlgorithm(signer.kind),
    });
    return new Uint8Array(crl.rawData);
  }

  /** A DER OCSPResponse about `cert`, signed by this CA (responderID byKey). */
  async ocspResponse(cert: TestCert, opts: OcspOptions): Promise<Uint8Array> {
    const spki = AsnConvert.parse(
      await subtle.exportKey('spki', this.key.publicKey),
      asn1.SubjectPublicKeyInfo,
    );
    const keyHash = await subtle.digest('SHA-1', spki.subjectPublicKey);
    const nameHash = await subtle.digest('SHA-1', this.cert.subjectName.toArrayBuffer());
    const serialBytes = Buffer.from(cert.serial.length % 2 ? `0${cert.serial}` : cert.serial, 'hex');
    const serial =
      (serialBytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), serialBytes]) : serialBytes;
    const certStatus =
      opts.status === 'good'
        ? new CertStatus({ good: null })
        : opts.status === 'revoked'
          ? new CertStatus({
              revoked: new RevokedInfo({
                revocationTime: opts.revokedAt ?? new Date('2024-12-01T00:00:00Z'),
              }),
            })
          : new CertStatus({ unknown: null });
    const tbs = new ResponseData({
      responderID: new ResponderID({ byKey: new OctetString(keyHash) }),
      producedAt: opts.thisUpdate ?? new Date('2025-01-01T00:00:00Z'),
      responses: [
        new SingleResponse({
          certID: new CertID({
            hashAlgorithm: new asn1.AlgorithmIdentifier({ algorithm: '1.3.14.3.2.26', parameters: null }),
            issuerNameHash: new OctetString(nameHash),
            issuerKeyHash: new OctetString(keyHash),
            serialNumber: new Uint8Array(serial).buffer,
          }),
          certStatus,
          thisUpdate: opts.thisUpdate ?? new Date('2025-01-01T00:00:00Z'),
          ...(opts.nextUpdate ? { nextUpdate: opts.nextUpdate } : {}),
        }),
      ],
    });
    const tbsDer = AsnConvert.serialize(tbs);
    const signer = opts.signWith ?? this.key;
    const alg = signingAlgorithm(signer.kind);
    let signature = await subtle.sign(alg, signer.privateKey, tbsDer);
    let algorithm = '1.2.840.113549.1.1.11';
    let parameters: ArrayBuffer | null | undefined = null;
    if (signer.kind === 'ec') {
      algorithm = '1.2.840.10045.4.3.2';
      parameters = undefined;
      const raw = new Uint8Array(signature);
      const int = (b: Uint8Array) => {
        let v = b;
        while (v.length > 1 && v[0] === 0) v = v.subarray(1);
        const body = (v[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : Buffer.from(v);
        return Buffer.concat([Buffer.from([0x02, body.length]), body]);
      };
      const seq = Buffer.concat([int(raw.subarray(0, 32)), int(raw.subarray(32))]);
      signature = new Uint8Array(Buffer.concat([Buffer.from([0x30, seq.length]), seq])).buffer;
    }
    const basic = new BasicOCSPResponse({
      tbsResponseData: tbs,
      signatureAlgorithm: new asn1.AlgorithmIdentifier({
        algorithm,
        ...(parameters === undefined ? {} : { parameters }),
      }),
      signature,
    });
    const response = new OCSPResponse({
      responseStatus: OCSPResponseStatus.successful,
      responseBytes: new ResponseBytes({
        responseType: '1.3.6.1.5.5.7.48.1.1',
        response: new OctetString(AsnConvert.serialize(basic)),
      }),
    });
    return new Uint8Array(AsnConvert.serialize(response));
  }
}

export interface RecordedFetch {
  (
    url: string,
    init?: { method?: string; body?: Uint8Array },
  ): Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  readonly calls: string[];
}

/** An injected fetch answering from a table (url → bytes or a function), recording every call. */
export function fakeFetch(
  routes: Record<string, Uint8Array | ((body?: Uint8Array) => Uint8Array | Promise<Uint8Array>)>,
): RecordedFetch {
  const calls: string[] = [];
  const fn = async (url: string, init?: { method?: string; body?: Uint8Array }) => {
    calls.push(url);
    const route = routes[url];
    if (!route) return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    const bytes = typeof route === 'function' ? await route(init?.body) : route;
    return { ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer };
  };
  return Object.assign(fn, { calls });
}
