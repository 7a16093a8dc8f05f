import type { CryptoKey } from 'jose';
import { signJws } from '../keys/jws.ts';
import { b64u } from '../util/bytes.ts';
import { sha256 } from '../util/hash.ts';
import { randomToken } from '../util/random.ts';
import { epochSeconds } from '../util/time.ts';
import { CTH_BYTES, GATE_PROOF_TYP } from './format.ts';

export interface GateQrInput {
  /** The gate credential JWS from the issuer. */
  credential: string;
  /** The gate group the QR is for (proof `aud`). */
  gateGroup: string;
  devicePrivateKey: CryptoKey;
  now: Date;
  /** Defaults to 128 random bits. */
  nonce?: string;
  /** The issuer's unlock token (after the PIN), appended as a third segment. */
  unlockToken?: string;
}

/** Makes the QR text: the credential plus a fresh device-signed proof. Refresh it every few seconds. */
export async function createGateQr(input: GateQrInput): Promise<string> {
  const cth = b64u((await sha256(input.credential)).subarray(0, CTH_BYTES));
  const proof = await signJws(
    { typ: GATE_PROOF_TYP },
    { aud: input.gateGroup, iat: epochSeconds(input.now), nonce: input.nonce ?? randomToken(16), cth },
    input.devicePrivateKey,
  );
  const qr = `${input.credential}~${proof}`;
  return input.unlockToken === undefined ? qr : `${qr}~${input.unlockToken}`;
}
