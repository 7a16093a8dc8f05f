-- The HR integration API: per-system API keys and idempotency records.
CREATE TABLE hr_api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- e-saram (e-사람), insaro (차세대 인사랑)
  system text NOT NULL CHECK (system IN ('e-saram', 'insaro')),
  label text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  -- the first characters of the key, to recognise it in lists
  key_prefix text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Requests that carried an Idempotency-Key: the same key with the same request replays the response.
CREATE TABLE hr_idempotency (
  api_key_id uuid NOT NULL REFERENCES hr_api_keys (id),
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  status integer NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX hr_idempotency_created_idx ON hr_idempotency (created_at);
