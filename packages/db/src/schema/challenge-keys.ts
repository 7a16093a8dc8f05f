import type { ColumnType } from 'kysely';

/** The HMAC key of stateless challenges (migration 0016_challenge_keys.sql). */
export interface ChallengeKeyTables {
  auth_challenge_keys: AuthChallengeKeysTable;
}

export interface AuthChallengeKeysTable {
  id: number;
  key: Uint8Array;
  created_at: ColumnType<Date, Date, Date>;
}
