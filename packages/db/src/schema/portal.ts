// Kysely types of migrations/0015_portal.sql: WebAuthn credentials and challenges of mobile-ID
// cards (the OIDC client columns it adds are in schema/oidc.ts).
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

export interface PortalTables {
  mid_webauthn_credentials: MidWebauthnCredentialsTable;
  mid_webauthn_challenges: MidWebauthnChallengesTable;
}

export interface MidWebauthnCredentialsTable {
  id: string;
  card_id: string;
  public_key: Uint8Array;
  counter: Generated<number>;
  transports: JSONColumnType<string[], string | undefined, string>;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  removed_at: Timestamp | null;
}

export type WebauthnChallengePurpose = 'register' | 'unlock';

export interface MidWebauthnChallengesTable {
  challenge_hash: string;
  purpose: WebauthnChallengePurpose;
  card_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export type MidWebauthnCredential = Selectable<MidWebauthnCredentialsTable>;
