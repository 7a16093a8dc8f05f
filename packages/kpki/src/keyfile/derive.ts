// Key and IV of each key-file scheme from the password.
import { pbkdf1Sha1, pbkdf2 } from '../kdf.ts';
import { sha1 } from '../sha1.ts';
import type { KeyFileParams } from './params.ts';

/** The fixed IV of the old KISA seedCBC key files: ASCII "0123456789012345". */
const OLD_KISA_IV = new TextEncoder().encode('0123456789012345');

export async function deriveKeyAndIv(
  params: KeyFileParams,
  password: string,
): Promise<{ key: Uint8Array; iv: Uint8Array }> {
  switch (params.scheme) {
    case 'kisa-seed-sha1': {
      const dk = pbkdf1Sha1(password, params.salt, params.iterations);
      return { key: dk.slice(0, 16), iv: sha1(dk.subarray(16, 20)).slice(0, 16) };
    }
    case 'kisa-seed-old': {
      const dk = pbkdf1Sha1(password, params.salt, params.iterations);
      return { key: dk.slice(0, 16), iv: OLD_KISA_IV.slice() };
    }
    case 'pbes2-sha256':
    case 'pbes2-sha1':
      return { key: await pbkdf2(password, params.salt, params.iterations, params.hash, 16), iv: params.iv };
  }
}
