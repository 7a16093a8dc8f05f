import { parseKeyFileDer } from './params.ts';
import { keyFileDer } from './pem.ts';
import type { KeyFileScheme } from './types.ts';

/** Which scheme encrypts a key file (DER or PEM), without a password. */
export function keyFileScheme(file: Uint8Array): KeyFileScheme {
  return parseKeyFileDer(keyFileDer(file)).params.scheme;
}
