// Relying parties ("clients") of the OpenID Connect provider, registered by an administrator (an
// agency registering its work system). Confidential clients get a 256-bit random secret, shown once
// and stored as SHA-256; public clients (token_endpoint_auth_method none) rely on PKCE alone.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { OidcClientAuthMethod, OidcClientRow } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';

export interface RegisterClientInput {
  /** default: generated (`gjc_…`) */
  readonly clientId?: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** `none` makes a public client (no secret; PKCE is required of every client anyway) */
  readonly tokenEndpointAuthMethod?: OidcClientAuthMethod;
  readonly requireConsent?: boolean;
  readonly allowRefresh?: boolean;
  readonly idTokenSignedResponseAlg?: 'ES256' | 'RS256';
  readonly firstParty?: boolean;
}

export interface OidcClientView {
  readonly clientId: string;
  readonly clientName: string;
  readonly tokenEndpointAuthMethod: OidcClientAuthMethod;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  readonly requireConsent: boolean;
  readonly allowRefresh: boolean;
  readonly idTokenSignedResponseAlg: 'ES256' | 'RS256';
  readonly firstParty: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
  /** disabled by an administrator: signs nobody in until enabled again */
  readonly disabled: boolean;
  readonly disabledAt: string | null;
  readonly updatedAt: string | null;
}

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;
const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The stored form of a secret: `sha256:<hex>` (secrets are 256-bit random, so no salt/stretching). */
export const hashSecret = (secret: string) => `sha256:${sha256Hex(secret)}`;

/**
 * A redirect URI must be an absolute https URL (http only for loopback hosts, for development),
 * without a fragment or user info. It is matched exactly (string equality) by oidc-provider.
 */
export function assertRedirectUri(uri: string, field: string): void {
  let url: URL;
  try {
    if (uri.length > MAX_URI_LENGTH) throw new Error('too long');
    url = new URL(uri);
  } catch {
    throw new GongjikError('ERR_OIDC_REDIRECT_URI_INVALID', { field });
  }
  const httpsOk = url.protocol === 'https:';
  const httpOk = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if ((!httpsOk && !httpOk) || url.hash || uri.includes('#') || url.username || url.password) {
    throw new GongjikError('ERR_OIDC_REDIRECT_URI_INVALID', { field });
  }
}

export function assertUris(uris: readonly string[], field: string, required: boolean): void {
  if ((required && uris.length === 0) || uris.length > MAX_URIS)
    throw new GongjikError('ERR_INPUT_INVALID', { field });
  for (const [i, u] of uris.entries()) assertRedirectUri(u, `${field}.${i}`);
}

export function clientView(row: OidcClientRow): OidcClientView {
  return {
    clientId: row.client_id,
    clientName: row.client_name,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    requireConsent: row.require_consent,
    allowRefresh: row.allow_refresh,
    idTokenSignedResponseAlg: row.id_token_signed_response_alg,
    firstParty: row.first_party,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    disabled: row.disabled_at !== null,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    updatedAt: row.updated_at?.toISOString() ?? null,
  };
}

/**
 * Registers a client; returns it with its secret (confidential clients only: shown once, never
 * stored). Audited as `oidc.client.register`. A client_id is never reused, even after removal.
 */
export async function registerOidcClient(
  db: Db,
  input: RegisterClientInput,
  ctx: ChangeContext,
): Promise<{ client: OidcClientView; clientSecret: string | null }> {
  const clientId = input.clientId ?? `gjc_${randomBytes(12).toString('base64url')}`;
  if (!CLIENT_ID_PATTERN.test(clientId)) throw new GongjikError('ERR_INPUT_INVALID', { field: 'clientId' });
  const name = input.clientName.normalize('NFC');
  if (!name.trim() || name.length > 200) throw new GongjikError('ERR_INPUT_INVALID', { field: 'clientName' });
  assertUris(input.redirectUris, 'redirectUris', true);
  assertUris(input.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris', false);
  const method = input.tokenEndpointAuthMethod ?? 'client_secret_basic';
  const clientSecret = method === 'none' ? null : randomToken('gjcs');
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('oidc_clients')
      .values({
        client_id: clientId,
        client_name: name,
        secret_hash: clientSecret ? hashSecret(clientSecret) : null,
        token_endpoint_auth_method: method,
        redirect_uris: JSON.stringify(input.redirectUris),
        post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris ?? []),
        require_consent: input.requireConsent ?? false,
        allow_refresh: input.allowRefresh ?? false,
        id_token_signed_response_alg: input.idTokenSignedResponseAlg ?? 'ES256',
        first_party: input.firstParty ?? false,
        created_by: ctx.actor,
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.column('client_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new GongjikError('ERR_OIDC_CLIENT_EXISTS', { clientId });
    const client = clientView(row);
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'oidc.client.register',
      target: `oidc-client:${clientId}`,
      details: {
        clientName: client.clientName,
        tokenEndpointAuthMethod: method,
        redirectUris: client.redirectUris,
        requireConsent: client.requireConsent,
      },
      ip: ctx.ip,
    });
    return { client, clientSecret };
  });
}

export async function listOidcClients(db: Db): Promise<OidcClientView[]> {
  const rows = await db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('client_id')
    .execute();
  return rows.map(clientView);
}

export async function findOidcClient(db: Db, clientId: string): Promise<OidcClientView | null> {
  const row = await db
    .selectFrom('oidc_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row ? clientView(row) : null;
}

/**
 * Removes a client: it can no longer sign anyone in, and its codes and tokens are deleted.
 * Audited as `oidc.client.remove`.
 */
export async function removeOidcClient(db: Db, clientId: string, ctx: ChangeContext): Promise<void> {
  await inTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('oidc_clients')
      .set({ removed_at: ctx.now })
      .where('client_id', '=', clientId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    const tokens = await trx
      .deleteFrom('oidc_payloads')
      .where('model', 'in', ['AccessToken', 'AuthorizationCode', 'RefreshToken', 'Grant'])
      .where(sql<string>`payload->>'clientId'`, '=', clientId)
      .executeTakeFirst();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'oidc.client.remove',
      target: `oidc-client:${clientId}`,
      details: { tokensDeleted: Number(tokens.numDeletedRows) },
      ip: ctx.ip,
    });
  });
}

/** Constant-time check of a presented secret against the stored `sha256:<hex>`. */
export function clientSecretMatches(presented: string | undefined, stored: string | undefined): boolean {
  if (!presented || !stored?.startsWith('sha256:')) return false;
  const a = Buffer.from(hashSecret(presented));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The client's metadata as oidc-provider reads it from the adapter. `client_secret` carries the
 * stored hash: the provider is configured so that it only ever compares it (compareClientSecret is
 * replaced by clientSecretMatches) and never uses it as a key (no HS* algorithms, no
 * client_secret_jwt).
 */
export function clientMetadataOf(row: OidcClientRow): Record<string, unknown> {
  return {
    client_id: row.client_id,
    client_name: row.client_name,
    ...(row.secret_hash ? { client_secret: row.secret_hash } : {}),
    token_endpoint_auth_method: row.token_endpoint_auth_method,
    redirect_uris: row.redirect_uris,
    post_logout_redirect_uris: row.post_logout_redirect_uris,
    response_types: ['code'],
    grant_types: row.allow_refresh ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    id_token_signed_response_alg: row.id_token_signed_response_alg,
    require_consent: row.require_consent,
    gongjik_first_party: row.first_party,
  };
}

export const WEBMAIL_CLIENT_ID = 'gongjik-webmail';
export const WEBMAIL_CALLBACK_PATH = '/auth/callback';

/**
 * The webmail is a first-party public client of the provider: registered on first use with the
 * public URL's callback (`<publicUrl>/auth/callback`) and sign-out return (`<publicUrl>/`).
 */
export async function ensureWebmailClient(db: Db, publicUrl: string, now: Date): Promise<void> {
  if (await findOidcClient(db, WEBMAIL_CLIENT_ID)) return;
  try {
    await registerOidcClient(
      db,
      {
        clientId: WEBMAIL_CLIENT_ID,
        clientName: '공직 메일 (Gongjik mail)',
        redirectUris: [`${publicUrl}${WEBMAIL_CALLBACK_PATH}`],
        postLogoutRedirectUris: [`${publicUrl}/`],
        tokenEndpointAuthMethod: 'none',
        firstParty: true,
      },
      { actor: 'system:oidc', now },
    );
  } catch (err) {
    // another process registered it first (or an administrator removed it: keep it removed)
    if (!(err instanceof GongjikError && err.code === 'ERR_OIDC_CLIENT_EXISTS')) throw err;
  }
}
