import { OFFICIAL_ID_VCT } from '../sd-jwt/issue.ts';
import { ensure } from '../util/fail.ts';

/** A DCQL claims query: a path into the credential's claims (OpenID4VP 1.0 §6). */
export interface DcqlClaimQuery {
  id?: string;
  path: (string | number | null)[];
}

export interface DcqlCredentialQuery {
  id: string;
  format: 'dc+sd-jwt';
  meta: { vct_values: string[] };
  claims?: DcqlClaimQuery[];
}

export interface DcqlQuery {
  credentials: DcqlCredentialQuery[];
}

/** A DCQL query for the mobile public-official ID asking for exactly `claims` (top-level names). */
export function officialIdQuery(claims: readonly string[], id = 'official_id'): DcqlQuery {
  return {
    credentials: [
      {
        id,
        format: 'dc+sd-jwt',
        meta: { vct_values: [OFFICIAL_ID_VCT] },
        claims: claims.map((c) => ({ path: [c] })),
      },
    ],
  };
}

/** Top-level claim names a credential query asks for (our credentials disclose at the top level). */
export function requestedClaimNames(query: DcqlCredentialQuery): string[] {
  const names = new Set<string>();
  for (const c of query.claims ?? []) {
    ensure(typeof c.path[0] === 'string', 'dcql claim path');
    names.add(c.path[0]);
  }
  return [...names];
}

/** Checks the parts of a DCQL query this package supports. Throws ERR_MID_MALFORMED. */
export function validateDcqlQuery(value: unknown): DcqlQuery {
  const q = value as DcqlQuery;
  ensure(typeof q === 'object' && q !== null && Array.isArray(q.credentials), 'dcql_query');
  ensure(q.credentials.length >= 1 && q.credentials.length <= 4, 'dcql_query');
  for (const c of q.credentials) {
    ensure(typeof c.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(c.id), 'dcql credential id');
    ensure(c.format === 'dc+sd-jwt', 'dcql format');
    ensure(Array.isArray(c.meta?.vct_values) && c.meta.vct_values.length > 0, 'dcql vct_values');
    ensure(c.claims === undefined || (Array.isArray(c.claims) && c.claims.length <= 32), 'dcql claims');
    for (const claim of c.claims ?? []) {
      ensure(
        Array.isArray(claim.path) && claim.path.length >= 1 && claim.path.length <= 4,
        'dcql claim path',
      );
    }
  }
  return q;
}
