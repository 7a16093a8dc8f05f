-- Identity: registered certificates, sign-up codes, sessions, admin tokens.

-- Certificates registered to accounts (filled by the sign-up/registration work).
-- Renewal sets replaced_at on the old row; retirement and revocation set revoked_at.
CREATE TABLE certificate_registrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  fingerprint_sha256 text NOT NULL,
  serial text NOT NULL,
  issuer text NOT NULL,
  -- e.g. gpki-personal, epki-personal, gpki-special (the names kpki gives)
  class text NOT NULL,
  subject_name text NOT NULL,
  not_after timestamptz NOT NULL,
  registered_at timestamptz NOT NULL,
  replaced_at timestamptz,
  revoked_at timestamptz,
  revoke_reason text
);
CREATE UNIQUE INDEX certificate_registrations_live_fp_idx ON certificate_registrations (fingerprint_sha256)
  WHERE replaced_at IS NULL AND revoked_at IS NULL;
CREATE INDEX certificate_registrations_account_idx ON certificate_registrations (account_id);

-- One-time sign-up codes issued through HR. Only a scrypt hash is stored.
CREATE TABLE signup_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  expires_at timestamptz NOT NULL,
  issued_by text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  invalidated_at timestamptz
);
CREATE UNIQUE INDEX signup_codes_live_idx ON signup_codes (account_id)
  WHERE used_at IS NULL AND invalidated_at IS NULL;

-- Browser sessions. The cookie carries a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES accounts (id),
  -- certificate | mobile-id
  method text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- absolute expiry; the idle expiry is last_seen_at + the configured idle timeout
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text,
  ip text,
  user_agent text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX sessions_account_live_idx ON sessions (account_id) WHERE revoked_at IS NULL;

-- Administrator bearer tokens (the first one is written to <data-dir>/admin-token).
CREATE TABLE admin_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash text NOT NULL UNIQUE,
  label text NOT NULL,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
