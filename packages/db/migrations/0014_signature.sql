-- Electronic signatures with the mobile ID (DESIGN flow 10): a work system (a registered OpenID
-- Connect client) asks a person to sign a document given by title and SHA-256; the holder's wallet
-- lists the pending requests, signs after the PIN, and delivers the signature bundle here, where the
-- work system collects it by polling.
CREATE TABLE sig_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id text NOT NULL REFERENCES oidc_clients (client_id),
  person_id uuid NOT NULL REFERENCES people (id),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 500),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  reason text CHECK (reason IS NULL OR char_length(reason) <= 500),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'signed', 'declined', 'expired')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  answered_at timestamptz,
  -- the card that signed, the bundle (JSON, as the wallet made it) and the signing time it states
  card_id uuid REFERENCES mid_cards (id),
  bundle jsonb,
  signed_at timestamptz,
  -- where to POST {id, state} once answered (same origin as one of the client's redirect URIs)
  callback_url text CHECK (callback_url IS NULL OR char_length(callback_url) <= 2000),
  CHECK (expires_at > created_at),
  CHECK ((state = 'signed') = (bundle IS NOT NULL))
);
CREATE INDEX sig_requests_pending_idx ON sig_requests (person_id, expires_at) WHERE state = 'pending';
CREATE INDEX sig_requests_client_idx ON sig_requests (client_id, created_at);
