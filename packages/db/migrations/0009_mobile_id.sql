-- The mobile public-official ID (모바일 공무원증): issuer keys, Token Status Lists, the issuance
-- workflow (requests → offers → cards), single-use nonces, and the SMS queue/outbox.

-- ES256 issuer keys. The active one signs new credentials and status lists; the others stay
-- published (JWKS) until retired_at, so credentials they signed keep verifying after a rotation.
CREATE TABLE mid_issuer_keys (
  kid text PRIMARY KEY,
  public_jwk jsonb NOT NULL,
  -- the private JWK; see docs/mobile-id-protocol.md ("Issuer key") for how to protect it
  private_jwk jsonb NOT NULL,
  active boolean NOT NULL,
  created_at timestamptz NOT NULL,
  retired_at timestamptz
);
CREATE UNIQUE INDEX mid_issuer_keys_one_active_idx ON mid_issuer_keys (active) WHERE active;

-- Token Status Lists (2 bits per entry). The entries themselves are the cards' states; `version`
-- is bumped in the same transaction as any change of an entry, and the cached signed token is
-- re-signed when its token_version differs (or it is older than the TTL).
CREATE TABLE mid_status_lists (
  id integer PRIMARY KEY,
  size integer NOT NULL CHECK (size > 0),
  bits smallint NOT NULL DEFAULT 2,
  -- indexes handed out so far; a list stops taking new cards at half its size (closed_at)
  allocated integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  version bigint NOT NULL DEFAULT 0,
  token text,
  token_version bigint,
  token_iat timestamptz
);

-- Issuance requests: HR asks → the head of department decides → identity check → offer (SMS) →
-- the wallet redeems it (issued). States: requested, approved, rejected, offered, issued, expired,
-- cancelled.
CREATE TABLE mid_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  kind text NOT NULL CHECK (kind IN ('first', 'reissue')),
  -- new | phone-change | app-deleted | pin-locked | lost | hr-change | other
  reason text NOT NULL,
  state text NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'offered', 'issued', 'expired', 'cancelled')),
  -- the identity HR recorded when the request was made; checked again against HR at approval
  real_name text NOT NULL,
  employee_number text NOT NULL,
  agency_code text NOT NULL,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  decided_by text,
  -- employee number of the head of department who decided
  decided_by_employee text,
  decided_at timestamptz,
  decision_note text,
  identity_checked_at timestamptz,
  offered_at timestamptz,
  issued_at timestamptz,
  expired_at timestamptz,
  cancelled_by text,
  cancelled_at timestamptz,
  cancel_reason text,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX mid_requests_one_open_idx ON mid_requests (person_id)
  WHERE state IN ('requested', 'approved', 'offered');
CREATE INDEX mid_requests_state_idx ON mid_requests (state, requested_at);

-- OpenID4VCI pre-authorized-code offers. The offer id in the install link is also the
-- pre-authorized code; only its SHA-256 is stored. The one-time code (tx_code) is stored as scrypt.
CREATE TABLE mid_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL REFERENCES mid_requests (id),
  code_hash text NOT NULL UNIQUE,
  tx_code_hash text NOT NULL,
  tx_attempts integer NOT NULL DEFAULT 0,
  max_tx_attempts integer NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  redeemed_at timestamptz,
  access_token_hash text UNIQUE,
  access_expires_at timestamptz,
  invalidated_at timestamptz
);
CREATE INDEX mid_offers_request_idx ON mid_offers (request_id);

-- Issued cards: one SD-JWT VC + one gate credential sharing a device key and a status entry.
-- state: active (VALID) · suspended (SUSPENDED) · locked (INVALID, five wrong PINs) · revoked (INVALID)
CREATE TABLE mid_cards (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  request_id uuid NOT NULL REFERENCES mid_requests (id),
  offer_id uuid NOT NULL UNIQUE REFERENCES mid_offers (id),
  status_list_id integer NOT NULL REFERENCES mid_status_lists (id),
  status_idx integer NOT NULL,
  device_jwk jsonb NOT NULL,
  -- RFC 7638 thumbprint of the device key
  device_jkt text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('active', 'suspended', 'locked', 'revoked')),
  -- replaced | retired | revoked | pin-locked | hr-change
  revoke_reason text,
  -- the claims as issued (HR changes are detected against them)
  claims jsonb NOT NULL,
  -- credential configuration ids issued for this card (the wallet may ask for each once per offer)
  configurations jsonb NOT NULL DEFAULT '[]'::jsonb,
  issued_at timestamptz NOT NULL,
  valid_until timestamptz NOT NULL,
  state_changed_at timestamptz NOT NULL,
  state_changed_by text NOT NULL,
  -- set when an HR change (department, position, name) makes the card's claims stale
  reissue_due_at timestamptz,
  -- PIN: the wallet derives a verifier with PBKDF2(PIN, pin_salt, pin_iterations); the server
  -- keeps only HMAC(pepper, verifier). Failures are counted here.
  pin_salt text NOT NULL,
  pin_iterations integer NOT NULL,
  pin_hash text,
  pin_set_at timestamptz,
  pin_failures integer NOT NULL DEFAULT 0,
  last_unlock_at timestamptz,
  UNIQUE (status_list_id, status_idx)
);
-- One active device per person: at most one card that is active or suspended.
CREATE UNIQUE INDEX mid_cards_one_live_idx ON mid_cards (person_id) WHERE state IN ('active', 'suspended');

-- Single-use nonces: c_nonce of the credential endpoint, PIN/unlock challenges.
CREATE TABLE mid_nonces (
  nonce_hash text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('credential', 'pin')),
  card_id uuid REFERENCES mid_cards (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX mid_nonces_expires_idx ON mid_nonces (expires_at);

-- Text messages. With the outbox provider they stay here (state stored) for administrators to read;
-- with the webhook provider they are a queue (pending → sending → sent | failed), claimed with
-- FOR UPDATE SKIP LOCKED, and the body is erased once the gateway accepted it.
CREATE TABLE sms_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient text NOT NULL,
  -- mid-install | mid-code
  kind text NOT NULL,
  body text,
  -- what it is about, e.g. mid-request:<uuid>
  ref text,
  provider text NOT NULL CHECK (provider IN ('outbox', 'webhook')),
  state text NOT NULL CHECK (state IN ('stored', 'pending', 'sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE INDEX sms_messages_due_idx ON sms_messages (next_attempt_at) WHERE state IN ('pending', 'sending');
CREATE INDEX sms_messages_created_idx ON sms_messages (created_at);
