// Turns an issued user pair into the files a holder keeps: DER certificates and KISA-encrypted
// private keys, named as the real Korean layouts name them. Pure: the caller writes the files.
import { encryptKeyFile, type KeyFileScheme } from '../keyfile/index.ts';
import type { IssuedUser } from './ca.ts';
import { type LayoutPaths, layoutPaths } from './layout.ts';
import type { Crypto } from './webcrypto.ts';

export interface BundleOptions {
  readonly password: string;
  /** Key-file encryption; default `kisa-seed-sha1` (1.2.410.200004.1.15) as GPKI and NPKI issue. */
  readonly scheme?: KeyFileScheme;
  /** PBKDF iterations; default 2048 as the KISA tools use. */
  readonly iterations?: number;
  /** Source of the salt and of the key's randomNum attribute. */
  readonly crypto: Crypto;
}

export interface BundleFile {
  /** Path segments under the chosen root (a USB stick root, say). */
  readonly path: readonly string[];
  readonly data: Uint8Array;
  readonly role: 'signCert' | 'signKey' | 'envCert' | 'envKey';
}

export interface UserBundle {
  readonly layout: LayoutPaths;
  readonly files: readonly BundleFile[];
}

export const defaultKeyFileScheme: KeyFileScheme = 'kisa-seed-sha1';
export const defaultKeyFileIterations = 2048;

/** Encrypts the private keys (each with a randomNum attribute) and places every file. */
export async function userBundle(user: IssuedUser, options: BundleOptions): Promise<UserBundle> {
  const layout = layoutPaths(user.kind, user.commonName, user.subjectRdns);
  const encrypt = (pkcs8: Uint8Array) =>
    encryptKeyFile(pkcs8, options.password, {
      scheme: options.scheme ?? defaultKeyFileScheme,
      iterations: options.iterations ?? defaultKeyFileIterations,
      randomNum: options.crypto.getRandomValues(new Uint8Array(20)),
    });
  const files: BundleFile[] = [
    { path: [...layout.folder, layout.signCert], data: user.sign.certificate, role: 'signCert' },
    { path: [...layout.folder, layout.signKey], data: await encrypt(user.sign.privateKey), role: 'signKey' },
  ];
  if (user.env && layout.envCert && layout.envKey) {
    files.push(
      { path: [...layout.folder, layout.envCert], data: user.env.certificate, role: 'envCert' },
      { path: [...layout.folder, layout.envKey], data: await encrypt(user.env.privateKey), role: 'envKey' },
    );
  }
  return { layout, files };
}
