-- Building gates (청사 출입): gates registered by administrators, each with its own P-256 key
-- (the server keeps the public key only), the single-use ids of the gates' authentication
-- tokens, and the decisions the gates upload from their offline log.

CREATE TABLE gates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  -- the audience the wallet's device proof names (e.g. sejong/bldg-6)
  gate_group text NOT NULL,
  building text NOT NULL,
  -- zone policy: {timeZone, rules: [{agencies, buildings, days, from, to}]}
  policy jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  -- RFC 7638 thumbprint of the gate's key
  key_jkt text NOT NULL UNIQUE,
  state text NOT NULL CHECK (state IN ('active', 'disabled')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  disabled_by text,
  disabled_at timestamptz,
  last_sync_at timestamptz,
  last_log_at timestamptz
);

-- jti of accepted gate authentication tokens (single use), kept until they could no longer pass.
CREATE TABLE gate_auth_nonces (
  jti_hash text PRIMARY KEY,
  gate_id uuid NOT NULL REFERENCES gates (id),
  expires_at timestamptz NOT NULL
);
CREATE INDEX gate_auth_nonces_expires_idx ON gate_auth_nonces (expires_at);

-- Decisions made at the gate (offline), uploaded when it is online. The gate's event id makes an
-- upload retried after a lost answer harmless.
CREATE TABLE gate_events (
  gate_id uuid NOT NULL REFERENCES gates (id),
  event_id uuid NOT NULL,
  at timestamptz NOT NULL,
  decision text NOT NULL CHECK (decision IN ('allow', 'deny')),
  code text,
  subject text,
  agency_code text,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (gate_id, event_id)
);
CREATE INDEX gate_events_at_idx ON gate_events (gate_id, at DESC);
