import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

/** Tables of the certificate sign-up and login (migration 0006_identity_login.sql). */
export interface IdentityLoginTables {
  auth_challenges: AuthChallengesTable;
  signup_tokens: SignupTokensTable;
  auth_failures: AuthFailuresTable;
}

export type ChallengePurpose = 'login' | 'register';

export interface AuthChallengesTable {
  id: Generated<string>;
  nonce: string;
  origin: string;
  purpose: ChallengePurpose;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignupTokensTable {
  id: Generated<string>;
  token_hash: string;
  account_id: string;
  signup_code_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export type AuthFailureScope = 'ip' | 'account';

export interface AuthFailuresTable {
  id: Generated<number>;
  scope: AuthFailureScope;
  key: string;
  at: Timestamp;
  code: string;
}

export type AuthChallenge = Selectable<AuthChallengesTable>;
export type SignupTokenRow = Selectable<SignupTokensTable>;
