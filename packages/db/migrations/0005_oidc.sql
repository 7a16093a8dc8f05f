-- The OpenID Connect provider (oidc-provider): its stored models, its keys and the registered clients.

-- Every model oidc-provider stores (Session, Interaction, AuthorizationCode, AccessToken,
-- RefreshToken, Grant, …) in one table, so all server processes share them. `payload` is the
-- model as oidc-provider gives it; the other columns are the lookups its adapter needs.
CREATE TABLE oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  user_code text,
  -- NULL: no expiry given
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payloads_grant_idx ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid_idx ON oidc_payloads (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_user_code_idx ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_payloads_expires_idx ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;

-- Signing keys (JWKS) and cookie-signing keys. The private part is AES-256-GCM encrypted with the
-- server's OIDC key secret; only the public JWK is stored in the clear. The newest active key of
-- each algorithm signs; retired keys stay published until removed_at so tokens they signed verify.
CREATE TABLE oidc_keys (
  kid text PRIMARY KEY,
  -- sig: a JWK that signs ID tokens · cookie: a secret that signs the provider's cookies
  use text NOT NULL CHECK (use IN ('sig', 'cookie')),
  -- ES256 | RS256 for sig; HS256 for cookie
  alg text NOT NULL,
  public_jwk jsonb,
  private_enc text NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz,
  removed_at timestamptz
);
CREATE INDEX oidc_keys_live_idx ON oidc_keys (use, created_at) WHERE removed_at IS NULL;

-- Relying parties registered by an administrator. A confidential client's secret is stored as
-- SHA-256 (it is a 256-bit random value); a public client has none and must use PKCE.
CREATE TABLE oidc_clients (
  client_id text PRIMARY KEY,
  client_name text NOT NULL,
  secret_hash text,
  -- client_secret_basic | client_secret_post | none
  token_endpoint_auth_method text NOT NULL
    CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
  redirect_uris jsonb NOT NULL,
  post_logout_redirect_uris jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- ask the user before releasing claims (otherwise the agency's registration is the consent)
  require_consent boolean NOT NULL DEFAULT false,
  -- issue refresh tokens (scope offline_access)
  allow_refresh boolean NOT NULL DEFAULT false,
  id_token_signed_response_alg text NOT NULL DEFAULT 'ES256'
    CHECK (id_token_signed_response_alg IN ('ES256', 'RS256')),
  first_party boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  removed_at timestamptz,
  CHECK ((token_endpoint_auth_method = 'none') = (secret_hash IS NULL))
);
