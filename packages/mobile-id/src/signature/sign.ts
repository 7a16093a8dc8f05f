import type { CryptoKey } from 'jose';
import { signJws } from '../keys/jws.ts';
import { presentSdJwt } from '../sd-jwt/present.ts';
import { fail } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { epochSeconds } from '../util/time.ts';

export const SIGNATURE_TYP = 'gongjik-sig+jwt';
/** The KB-JWT audience of the presentation attached to a signature. */
export const SIGNATURE_AUDIENCE = 'urn:gongjik:signature';
/** Claims a signature reveals about the signer. */
export const SIGNER_CLAIMS = ['name', 'employee_number', 'agency', 'department', 'position'];

/**
 * A self-contained electronic signature: `signature` is a JWS by the device key over
 * `{title, sha256, iat}`; `presentation` is the signer's SD-JWT VC presented to
 * {@link SIGNATURE_AUDIENCE} with `nonce` = base64url(SHA-256(signature)), tying the two together.
 */
export interface SignatureBundle {
  v: 1;
  signature: string;
  presentation: string;
}

export interface SignDocumentInput {
  title: string;
  /** SHA-256 of the document, 64 lowercase hex digits. */
  sha256: string;
  credential: string;
  devicePrivateKey: CryptoKey;
  now: Date;
}

export async function signDocument(input: SignDocumentInput): Promise<SignatureBundle> {
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) fail('ERR_MID_MALFORMED', { part: 'sha256' });
  if (input.title.length === 0 || input.title.length > 500) fail('ERR_MID_MALFORMED', { part: 'title' });
  const signature = await signJws(
    { typ: SIGNATURE_TYP },
    { title: input.title, sha256: input.sha256, iat: epochSeconds(input.now) },
    input.devicePrivateKey,
  );
  const presentation = await presentSdJwt({
    credential: input.credential,
    disclose: SIGNER_CLAIMS,
    audience: SIGNATURE_AUDIENCE,
    nonce: await sha256B64u(signature),
    devicePrivateKey: input.devicePrivateKey,
    now: input.now,
  });
  return { v: 1, signature, presentation };
}
