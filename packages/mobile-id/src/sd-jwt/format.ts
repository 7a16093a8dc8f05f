import { ensure } from '../util/fail.ts';

export const SD_JWT_VC_TYP = 'dc+sd-jwt';
export const KB_JWT_TYP = 'kb+jwt';
export const SD_ALG = 'sha-256';

/** Bounds on what a verifier reads. */
export const MAX_SD_JWT_LENGTH = 65_536;
export const MAX_DISCLOSURES = 64;

/** The three parts of an SD-JWT (`<jwt>~<d1>~…~<dn>~[<kb-jwt>]`). */
export interface SplitSdJwt {
  jwt: string;
  disclosures: string[];
  /** The KB-JWT, or undefined when the text ends with `~`. */
  kbJwt: string | undefined;
  /** `<jwt>~<d1>~…~<dn>~`: what `sd_hash` covers. */
  withoutKb: string;
}

export function splitSdJwt(text: unknown): SplitSdJwt {
  ensure(typeof text === 'string' && text.length <= MAX_SD_JWT_LENGTH, 'SD-JWT');
  const parts = text.split('~');
  ensure(parts.length >= 2 && parts.length <= MAX_DISCLOSURES + 2, 'SD-JWT');
  const jwt = parts[0]!;
  const last = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  ensure(jwt.length > 0 && disclosures.every((d) => d.length > 0), 'SD-JWT');
  const withoutKb = text.slice(0, text.length - last.length);
  return { jwt, disclosures, kbJwt: last.length > 0 ? last : undefined, withoutKb };
}
