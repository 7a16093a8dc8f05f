-- Certificate sign-up and login: challenges, sign-up tokens, login failures (rate limits).

-- Login and registration challenges: a random nonce bound to the public origin and a purpose,
-- answered once (used_at is set by one atomic UPDATE … WHERE used_at IS NULL), valid 2 minutes.
CREATE TABLE auth_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- base64url of 32 random bytes
  nonce text NOT NULL,
  origin text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('login', 'register')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX auth_challenges_expires_idx ON auth_challenges (expires_at);

-- Short-lived proof that the account ID + one-time sign-up code checked out (POST /signup/verify),
-- spent by the certificate registration. Only the SHA-256 of the token is stored.
CREATE TABLE signup_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES accounts (id),
  signup_code_id uuid NOT NULL REFERENCES signup_codes (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX signup_tokens_expires_idx ON signup_tokens (expires_at);

-- Failed certificate logins, for the sliding-window rate limits per account and per IP. Shared by
-- every server process; rows older than the window are pruned by housekeeping.
CREATE TABLE auth_failures (
  id bigserial PRIMARY KEY,
  -- 'ip' | 'account'
  scope text NOT NULL CHECK (scope IN ('ip', 'account')),
  key text NOT NULL,
  at timestamptz NOT NULL,
  code text NOT NULL
);
CREATE INDEX auth_failures_key_idx ON auth_failures (scope, key, at);
CREATE INDEX auth_failures_at_idx ON auth_failures (at);
