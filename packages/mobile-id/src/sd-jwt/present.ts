import type { CryptoKey } from 'jose';
import { signJws } from '../keys/jws.ts';
import { fail } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { epochSeconds } from '../util/time.ts';
import { parseDisclosure } from './disclosure.ts';
import { KB_JWT_TYP, splitSdJwt } from './format.ts';

export interface PresentSdJwtInput {
  /** The issued SD-JWT (`<jwt>~<d1>~…~`) as the wallet stores it. */
  credential: string;
  /** Top-level claim names to disclose; every other disclosure is left out. */
  disclose: readonly string[];
  /** The verifier (KB-JWT `aud`). */
  audience: string;
  /** The verifier's nonce. */
  nonce: string;
  devicePrivateKey: CryptoKey;
  now: Date;
  /** The issuer's unlock token (after the PIN), carried in the KB-JWT as `unlock`. */
  unlockToken?: string;
}

/**
 * Builds a presentation: the issuer JWT, only the chosen disclosures, and a Key Binding JWT
 * (`typ: kb+jwt`, `aud`, `nonce`, `iat`, `sd_hash`) signed with the device key.
 * Throws ERR_MID_CLAIM_MISSING when a chosen claim is not in the credential.
 */
export async function presentSdJwt(input: PresentSdJwtInput): Promise<string> {
  const split = splitSdJwt(input.credential);
  const all = await Promise.all(split.disclosures.map(parseDisclosure));
  const wanted = new Set(input.disclose);
  const chosen = all.filter((d) => d.name !== undefined && wanted.has(d.name));
  const missing = [...wanted].filter((name) => !chosen.some((d) => d.name === name));
  if (missing.length) fail('ERR_MID_CLAIM_MISSING', { claims: missing });
  const withoutKb = `${split.jwt}~${chosen.map((d) => `${d.encoded}~`).join('')}`;
  const kb = await signJws(
    { typ: KB_JWT_TYP },
    {
      iat: epochSeconds(input.now),
      aud: input.audience,
      nonce: input.nonce,
      sd_hash: await sha256B64u(withoutKb),
      ...(input.unlockToken === undefined ? {} : { unlock: input.unlockToken }),
    },
    input.devicePrivateKey,
  );
  return withoutKb + kb;
}

/** Lists the claim names a stored credential can disclose (what the wallet shows before consent). */
export async function disclosableClaims(credential: string): Promise<Record<string, unknown>> {
  const split = splitSdJwt(credential);
  const out: Record<string, unknown> = {};
  for (const d of await Promise.all(split.disclosures.map(parseDisclosure))) {
    if (d.name !== undefined) out[d.name] = d.value;
  }
  return out;
}
