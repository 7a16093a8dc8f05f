-- The admin portal's OIDC client management and the wallet's server-bound WebAuthn unlock.

-- An administrator may disable a client (it signs nobody in, its tokens stay until they expire or
-- the client is removed) and edit it; updated_at records the last edit.
ALTER TABLE oidc_clients ADD COLUMN disabled_at timestamptz;
ALTER TABLE oidc_clients ADD COLUMN updated_at timestamptz;

-- WebAuthn credentials bound to a mobile-ID card (the wallet's biometric unlock). One live
-- credential per card: a new enrolment removes the earlier one. The counter is the authenticator's
-- signature counter as last seen (a lower or equal value after a non-zero one is refused).
CREATE TABLE mid_webauthn_credentials (
  -- base64url credential id
  id text PRIMARY KEY,
  card_id uuid NOT NULL REFERENCES mid_cards (id),
  -- COSE public key
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  removed_at timestamptz
);
CREATE INDEX mid_webauthn_credentials_card_idx ON mid_webauthn_credentials (card_id);

-- Single-use WebAuthn challenges (SHA-256 stored), for registration and for unlock, per card.
CREATE TABLE mid_webauthn_challenges (
  challenge_hash text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('register', 'unlock')),
  card_id uuid NOT NULL REFERENCES mid_cards (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX mid_webauthn_challenges_expires_idx ON mid_webauthn_challenges (expires_at);
