import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** Kysely types of migrations/0005_oidc.sql: the OpenID Connect provider's tables. */
export interface OidcTables {
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
  oidc_clients: OidcClientsTable;
}

/** One stored oidc-provider model instance (Session, AuthorizationCode, AccessToken, …). */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

export type OidcKeyUse = 'sig' | 'cookie';

export interface OidcKeysTable {
  kid: string;
  use: OidcKeyUse;
  alg: string;
  public_jwk: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** AES-256-GCM: `v1.<iv>.<ciphertext+tag>` (base64url) */
  private_enc: string;
  created_at: Timestamp;
  retired_at: Timestamp | null;
  removed_at: Timestamp | null;
}

export type OidcClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface OidcClientsTable {
  client_id: string;
  client_name: string;
  secret_hash: string | null;
  token_endpoint_auth_method: OidcClientAuthMethod;
  redirect_uris: JSONColumnType<string[], string, string>;
  post_logout_redirect_uris: JSONColumnType<string[], string | undefined, string>;
  require_consent: Generated<boolean>;
  allow_refresh: Generated<boolean>;
  id_token_signed_response_alg: Generated<'ES256' | 'RS256'>;
  first_party: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
  removed_at: Timestamp | null;
  /** 0015_portal.sql: a disabled client signs nobody in */
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type OidcKey = Selectable<OidcKeysTable>;
export type OidcClientRow = Selectable<OidcClientsTable>;
