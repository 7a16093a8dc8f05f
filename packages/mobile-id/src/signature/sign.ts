import type { CryptoKey } from 'jose';
import { signJws } from '../keys/jws.ts';
import { presentSdJwt } from '../sd-jwt/present.ts';
import { fail } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { epochSeconds } from '../util/time.ts';

export const SIGNATURE_TYP = 'gongjik-sig+jwt';
/** The KB-JWT audience of the presentation attached to a signature. */
export const SIGNATURE_AUDIENCE = 'urn:gongjik:signature';
/** What a signature reveals about the signer (selective disclosure: nothing else leaves the phone). */
export const SIGNER_CLAIMS = ['name', 'agency', 'employee_number'] as const;
/** The `type` member of a bundle file. */
export const SIGNATURE_BUNDLE_TYPE = 'gongjik-signature';
export const SIGNATURE_BUNDLE_VERSION = 2;
/** Largest bundle accepted (a presentation, a status list token of up to ~64 KiB, the JWS). */
export const MAX_SIGNATURE_BUNDLE_BYTES = 256 * 1024;
const MAX_STATUS_TOKEN = 200_000;

/**
 * A self-contained electronic signature (docs/ARCHITECTURE.md, "Electronic signature"):
 * - `signature`: a JWS by the card's device key over `{title, sha256, iat, rid, aud[, reason]}`;
 * - `presentation`: the signer's SD-JWT VC disclosing name, agency and employee number, key-bound
 *   to {@link SIGNATURE_AUDIENCE} with `nonce` = base64url(SHA-256(signature)), carrying the
 *   issuer's unlock token (the server-checked PIN);
 * - `status`: the issuer-signed status list token the wallet fetched at signing time (evidence that
 *   the card was valid then).
 */
export interface SignatureBundle {
  type: typeof SIGNATURE_BUNDLE_TYPE;
  v: typeof SIGNATURE_BUNDLE_VERSION;
  signature: string;
  presentation: string;
  status: string;
}

export interface SignDocumentInput {
  title: string;
  /** SHA-256 of the document, 64 lowercase hex digits. */
  sha256: string;
  /** Why the signature is asked for (shown to the holder), optional. */
  reason?: string;
  /** The signature request it answers (`rid`), or a wallet-chosen id for a free signature. */
  requestId: string;
  /** Who asked for it (`aud`): the work system's client id. */
  audience: string;
  credential: string;
  devicePrivateKey: CryptoKey;
  /** The issuer's unlock token from the PIN just entered. */
  unlockToken?: string;
  /** The status list token fetched now (evidence of the card's status at signing time). */
  statusToken: string;
  now: Date;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function assertSignable(input: {
  title: string;
  sha256: string;
  reason?: string;
  requestId: string;
  audience: string;
}): void {
  if (!HEX64.test(input.sha256)) fail('ERR_MID_MALFORMED', { part: 'sha256' });
  if (input.title.length === 0 || input.title.length > 500) fail('ERR_MID_MALFORMED', { part: 'title' });
  if (input.reason !== undefined && input.reason.length > 500) fail('ERR_MID_MALFORMED', { part: 'reason' });
  if (input.requestId.length === 0 || input.requestId.length > 128)
    fail('ERR_MID_MALFORMED', { part: 'rid' });
  if (input.audience.length === 0 || input.audience.length > 256) fail('ERR_MID_MALFORMED', { part: 'aud' });
}

export async function signDocument(input: SignDocumentInput): Promise<SignatureBundle> {
  assertSignable(input);
  if (input.statusToken.length === 0 || input.statusToken.length > MAX_STATUS_TOKEN)
    fail('ERR_MID_MALFORMED', { part: 'status' });
  const payload: Record<string, unknown> = {
    title: input.title,
    sha256: input.sha256,
    iat: epochSeconds(input.now),
    rid: input.requestId,
    aud: input.audience,
  };
  if (input.reason !== undefined) payload.reason = input.reason;
  const signature = await signJws({ typ: SIGNATURE_TYP }, payload, input.devicePrivateKey);
  const presentation = await presentSdJwt({
    credential: input.credential,
    disclose: [...SIGNER_CLAIMS],
    audience: SIGNATURE_AUDIENCE,
    nonce: await sha256B64u(signature),
    devicePrivateKey: input.devicePrivateKey,
    now: input.now,
    ...(input.unlockToken === undefined ? {} : { unlockToken: input.unlockToken }),
  });
  return {
    type: SIGNATURE_BUNDLE_TYPE,
    v: SIGNATURE_BUNDLE_VERSION,
    signature,
    presentation,
    status: input.statusToken,
  };
}
