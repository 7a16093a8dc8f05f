import type { P256PublicJwk } from '../keys/jwk.ts';
import { toP256PublicJwk } from '../keys/jwk.ts';
import { signJws } from '../keys/jws.ts';
import type { IssuerKey } from '../keys/keys.ts';
import type { StatusReference } from '../status-list/reference.ts';
import { b64u } from '../util/bytes.ts';
import { sha256 } from '../util/hash.ts';
import { randomBytes } from '../util/random.ts';
import { epochSeconds } from '../util/time.ts';
import { createDisclosure } from './disclosure.ts';
import { SD_ALG, SD_JWT_VC_TYP } from './format.ts';

/** The SD-JWT VC type of the mobile public-official ID. */
export const OFFICIAL_ID_VCT = 'urn:gongjik:mobile-official-id:1';

/** The selectively disclosable claims of the mobile public-official ID. */
export interface OfficialIdClaims {
  name: string;
  employee_number: string;
  agency: { name: string; code: string };
  department: string;
  position: string;
  /** base64url SHA-256 of the ID photo (the photo itself is fetched separately). */
  photo_digest: string;
}

export const OFFICIAL_ID_CLAIMS = [
  'name',
  'employee_number',
  'agency',
  'department',
  'position',
  'photo_digest',
] as const satisfies readonly (keyof OfficialIdClaims)[];

export interface IssueSdJwtVcInput {
  /** Credential issuer identifier (`iss`), an https URL. */
  issuer: string;
  issuerKey: IssuerKey;
  vct: string;
  /** Claims each issued as one top-level selectively disclosable claim. */
  disclosable: Readonly<Record<string, unknown>>;
  /** The holder's device key, bound through `cnf.jwk`. */
  holderJwk: P256PublicJwk;
  status: StatusReference;
  validFrom: Date;
  validUntil: Date;
  now: Date;
  /** Decoy digests added to `_sd` to hide how many claims exist (default 2). */
  decoys?: number;
}

/**
 * Issues an SD-JWT VC (`typ: dc+sd-jwt`). Returns `<issuer-jwt>~<disclosure>~…~` (no key binding);
 * the holder adds the KB-JWT when presenting.
 */
export async function issueSdJwtVc(input: IssueSdJwtVcInput): Promise<string> {
  if (input.validUntil.getTime() <= input.validFrom.getTime()) throw new RangeError('validUntil');
  const disclosures = await Promise.all(
    Object.entries(input.disclosable).map(([name, value]) => createDisclosure(name, value)),
  );
  const decoys = await Promise.all(
    Array.from({ length: input.decoys ?? 2 }, async () => b64u(await sha256(randomBytes(32)))),
  );
  const payload = {
    iss: input.issuer,
    iat: epochSeconds(input.now),
    nbf: epochSeconds(input.validFrom),
    exp: epochSeconds(input.validUntil),
    vct: input.vct,
    cnf: { jwk: toP256PublicJwk(input.holderJwk) },
    status: { status_list: { idx: input.status.idx, uri: input.status.uri } },
    _sd: [...disclosures.map((d) => d.digest), ...decoys].sort(),
    _sd_alg: SD_ALG,
  };
  const jwt = await signJws(
    { typ: SD_JWT_VC_TYP, kid: input.issuerKey.kid },
    payload,
    input.issuerKey.privateKey,
  );
  return `${jwt}~${disclosures.map((d) => `${d.encoded}~`).join('')}`;
}

/** Issues the mobile public-official ID (`vct` = {@link OFFICIAL_ID_VCT}) with every claim disclosable. */
export function issueOfficialIdCredential(
  input: Omit<IssueSdJwtVcInput, 'vct' | 'disclosable'> & { claims: OfficialIdClaims; vct?: string },
): Promise<string> {
  const { claims, vct, ...rest } = input;
  const disclosable: Record<string, unknown> = {};
  for (const name of OFFICIAL_ID_CLAIMS) disclosable[name] = claims[name];
  return issueSdJwtVc({ ...rest, vct: vct ?? OFFICIAL_ID_VCT, disclosable });
}
