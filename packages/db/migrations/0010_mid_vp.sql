-- OpenID4VP presentation requests of the mobile ID: sign-in (a second method of the OIDC
-- provider and of the webmail) and the library card verifier. One row per request: the browser
-- that asked for it polls with its secret; the wallet answers (direct_post) with the `state`.
CREATE TABLE mid_vp_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- which verifier asked: 'login' (the sign-in page) or 'library' (the library desk)
  purpose text NOT NULL CHECK (purpose IN ('login', 'library')),
  -- SHA-256 of the OpenID4VP `state` the wallet posts back (how the answer finds its request)
  state_hash text NOT NULL UNIQUE,
  -- the authorization request as sent (client_id, nonce, dcql_query, …)
  request jsonb NOT NULL,
  -- SHA-256 of the secret only the asking browser holds (polling and finishing need it)
  secret_hash text NOT NULL,
  -- 'cross-device' (QR) or 'same-device' (deep link)
  mode text NOT NULL CHECK (mode IN ('cross-device', 'same-device')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- refused answers so far (bounded) and the code of the last one, shown on the page
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  -- set once, by the one accepted answer
  responded_at timestamptz,
  card_id uuid REFERENCES mid_cards (id) ON DELETE SET NULL,
  account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  -- the verified, disclosed claims (library); sign-in keeps none
  claims jsonb,
  -- set once, when the asking browser took the result (the session is made then)
  consumed_at timestamptz
);
CREATE INDEX mid_vp_requests_expires_idx ON mid_vp_requests (expires_at);
