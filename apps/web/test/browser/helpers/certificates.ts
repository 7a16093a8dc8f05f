// Test certificates on "disk", laid out as officials' PCs and USB sticks have them:
//   GPKI/Certificate/class2/<CN>_sig.cer + <CN>_sig.key      (GPKI/EPKI layout)
//   NPKI/yessign/USER/cn=…/signCert.der + signPri.key          (NPKI layout, bank certificate)
// Made with @peculiar/x509 (which needs the Reflect metadata polyfill) and kpki's encryptKeyFile.
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeyFile } from '@gongjik/kpki';
import * as x509 from '@peculiar/x509';

const crypto = globalThis.crypto;
x509.cryptoProvider.set(crypto);

// Written least specific first: the order the attributes are encoded in real certificates.
export const GPKI_ISSUER = 'C=KR, O=Government of Korea, OU=GPKI, CN=CA131100001';
export const NPKI_ISSUER = 'C=KR, O=yessign, OU=AccreditedCA, CN=yessignCA Class 2';
export const POLICY_GPKI_PERSONAL = '1.2.410.100001.2.2.1';
export const POLICY_YESSIGN_PERSONAL = '1.2.410.200005.1.1.1';

export interface DiskCertificate {
  readonly holderName: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly der: Uint8Array;
  /** The decrypted PKCS#8 private key (what must never leave the browser). */
  readonly pkcs8: Uint8Array;
  /** The key file as stored on disk (encrypted). */
  readonly keyFile: Uint8Array;
  readonly password: string;
}

export interface CertificateFolder {
  /** The picked folder (contains GPKI/ and NPKI/, like a USB drive root). */
  readonly root: string;
  readonly gpki: DiskCertificate;
  readonly gpkiExpired: DiskCertificate;
  readonly npki: DiskCertificate;
}

const DAY = 24 * 60 * 60 * 1000;

type KeyKind = 'rsa' | 'ec';

async function keyPair(kind: KeyKind): Promise<CryptoKeyPair> {
  const params =
    kind === 'rsa'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  return (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function issue(options: {
  subject: string;
  issuer: string;
  policy: string;
  notBefore: Date;
  notAfter: Date;
  kind: KeyKind;
  serial: string;
}): Promise<{ der: Uint8Array; pkcs8: Uint8Array }> {
  const subjectKeys = await keyPair(options.kind);
  const issuerKeys = await keyPair('ec');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial,
    subject: options.subject,
    issuer: options.issuer,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: subjectKeys.publicKey,
    signingKey: issuerKeys.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      new x509.CertificatePolicyExtension([options.policy]),
    ],
  });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', subjectKeys.privateKey));
  return { der: new Uint8Array(cert.rawData), pkcs8 };
}

async function writePair(
  root: string,
  dir: string,
  certName: string,
  keyName: string,
  holderName: string,
  made: { der: Uint8Array; pkcs8: Uint8Array },
  password: string,
): Promise<DiskCertificate> {
  mkdirSync(join(root, dir), { recursive: true });
  const keyFile = await encryptKeyFile(made.pkcs8, password);
  const certPath = join(root, dir, certName);
  const keyPath = join(root, dir, keyName);
  writeFileSync(certPath, made.der);
  writeFileSync(keyPath, keyFile);
  return { holderName, certPath, keyPath, der: made.der, pkcs8: made.pkcs8, keyFile, password };
}

/** A temporary "USB drive" with a valid GPKI certificate (RSA), an expired one (EC) and an NPKI one. */
export async function makeCertificateFolder(now: Date = new Date()): Promise<CertificateFolder> {
  const root = mkdtempSync(join(tmpdir(), 'gongjik-usb-'));
  const valid = {
    notBefore: new Date(now.getTime() - 30 * DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
  };
  const gpkiCn = '850홍길동001';
  const gpki = await writePair(
    root,
    'GPKI/Certificate/class2',
    `${gpkiCn}_sig.cer`,
    `${gpkiCn}_sig.key`,
    '홍길동',
    await issue({
      subject: `C=KR, O=Government of Korea, OU=people, OU=행정안전부, CN=${gpkiCn}`,
      issuer: GPKI_ISSUER,
      policy: POLICY_GPKI_PERSONAL,
      kind: 'rsa',
      serial: '1a2b01',
      ...valid,
    }),
    'gpki-비밀번호-1!',
  );
  const expiredCn = '850김민지002';
  const gpkiExpired = await writePair(
    root,
    'GPKI/Certificate/class2',
    `${expiredCn}_sig.cer`,
    `${expiredCn}_sig.key`,
    '김민지',
    await issue({
      subject: `C=KR, O=Government of Korea, OU=people, OU=행정안전부, CN=${expiredCn}`,
      issuer: GPKI_ISSUER,
      policy: POLICY_GPKI_PERSONAL,
      kind: 'ec',
      serial: '1a2b02',
      notBefore: new Date(now.getTime() - 800 * DAY),
      notAfter: new Date(now.getTime() - 35 * DAY),
    }),
    'expired-password-2',
  );
  const npkiCn = '홍길동()0011234567890123';
  const npki = await writePair(
    root,
    `NPKI/yessign/USER/cn=${npkiCn},ou=KFTC,ou=personal4IB,o=yessign,c=kr`,
    'signCert.der',
    'signPri.key',
    '홍길동',
    await issue({
      subject: `C=KR, O=yessign, OU=personal4IB, OU=KFTC, CN=${npkiCn}`,
      issuer: NPKI_ISSUER,
      policy: POLICY_YESSIGN_PERSONAL,
      kind: 'ec',
      serial: '3c4d05',
      ...valid,
    }),
    'npki-password-3',
  );
  return { root, gpki, gpkiExpired, npki };
}
