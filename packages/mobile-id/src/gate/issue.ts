import { type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { signJws } from '../keys/jws.ts';
import type { IssuerKey } from '../keys/keys.ts';
import type { StatusReference } from '../status-list/reference.ts';
import { epochSeconds } from '../util/time.ts';
import { GATE_CREDENTIAL_TYP } from './format.ts';

export interface IssueGateCredentialInput {
  issuer: string;
  issuerKey: IssuerKey;
  /** Stable person identifier (what the gate logs). */
  subject: string;
  /** Agency code (기관코드), for the gate's zone policy. */
  agencyCode: string;
  holderJwk: P256PublicJwk;
  status: StatusReference;
  validFrom: Date;
  validUntil: Date;
}

/** Issues the compact gate credential (a JWS, `typ: gjg+jwt`) sharing `cnf` and `status` with the SD-JWT VC. */
export function issueGateCredential(input: IssueGateCredentialInput): Promise<string> {
  if (input.validUntil.getTime() <= input.validFrom.getTime()) throw new RangeError('validUntil');
  return signJws(
    { typ: GATE_CREDENTIAL_TYP, kid: input.issuerKey.kid },
    {
      iss: input.issuer,
      sub: input.subject,
      agc: input.agencyCode,
      nbf: epochSeconds(input.validFrom),
      exp: epochSeconds(input.validUntil),
      cnf: { jwk: toP256PublicJwk(input.holderJwk) },
      status: { status_list: { idx: input.status.idx, uri: input.status.uri } },
    },
    input.issuerKey.privateKey,
  );
}
