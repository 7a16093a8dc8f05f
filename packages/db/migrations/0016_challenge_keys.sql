-- Login and registration challenges are issued without a database write: the challenge ID carries
-- its issue time and a MAC, and the nonce is an HMAC of the ID (apps/server/src/domain/auth/challenge.ts).
-- The HMAC key is shared by every server process through this table (one row, made on first use).
-- auth_challenges keeps what it always did for answered challenges: one row per consumed ID (the
-- primary key makes each challenge single-use across processes).
CREATE TABLE auth_challenge_keys (
  id smallint PRIMARY KEY CHECK (id = 1),
  key bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at timestamptz NOT NULL
);
