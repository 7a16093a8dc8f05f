// Kysely types of migrations/0010_mid_vp.sql and 0012_mid_vp_ip.sql (OpenID4VP presentation requests).
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type JsonObject = Record<string, unknown>;

export type MidVpPurpose = 'login' | 'library';
export type MidVpMode = 'cross-device' | 'same-device';

export interface MidVpRequestsTable {
  id: Generated<string>;
  purpose: MidVpPurpose;
  state_hash: string;
  request: JSONColumnType<JsonObject, string, string>;
  secret_hash: string;
  mode: MidVpMode;
  ip: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
  responded_at: Timestamp | null;
  card_id: string | null;
  account_id: string | null;
  claims: JSONColumnType<JsonObject | null, string | null, string | null>;
  consumed_at: Timestamp | null;
}

export type MidVpRequest = Selectable<MidVpRequestsTable>;

export interface MidVpTables {
  mid_vp_requests: MidVpRequestsTable;
}
