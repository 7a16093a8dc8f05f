// Work systems authenticate to the signature API as the OpenID Connect clients an administrator
// registered for their agency (DESIGN: "gate / library / work system … signs people in through
// OpenID Connect"): HTTP Basic with client_id and client_secret, the client_secret_basic method of
// the token endpoint. Public clients (no secret) cannot ask for signatures.
import type { OidcClientRow } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';
import { clientSecretMatches } from '../oidc/clients.ts';

export interface WorkSystem {
  readonly clientId: string;
  readonly name: string;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header) : null;
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}

/** The registered, confidential, not removed client named by the Basic credentials; else refused. */
export async function authenticateWorkSystem(db: Db, authorization: string | undefined): Promise<WorkSystem> {
  const creds = basicCredentials(authorization);
  if (!creds || creds.id.length > 64) throw new GongjikError('ERR_SIGN_CLIENT_UNAUTHORIZED');
  const row: OidcClientRow | undefined = await db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('client_id', '=', creds.id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!row?.secret_hash || !clientSecretMatches(creds.secret, row.secret_hash))
    throw new GongjikError('ERR_SIGN_CLIENT_UNAUTHORIZED');
  return { clientId: row.client_id, name: row.client_name };
}
