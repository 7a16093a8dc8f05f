import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

export type GateState = 'active' | 'disabled';

export interface GatesTable {
  id: Generated<string>;
  name: string;
  gate_group: string;
  building: string;
  policy: JSONColumnType<Record<string, unknown>, string, string>;
  public_jwk: JSONColumnType<Record<string, unknown>, string, string>;
  key_jkt: string;
  state: GateState;
  created_by: string;
  created_at: Timestamp;
  disabled_by: string | null;
  disabled_at: Timestamp | null;
  last_sync_at: Timestamp | null;
  last_log_at: Timestamp | null;
}

export interface GateAuthNoncesTable {
  jti_hash: string;
  gate_id: string;
  expires_at: Timestamp;
}

export interface GateEventsTable {
  gate_id: string;
  event_id: string;
  at: Timestamp;
  decision: 'allow' | 'deny';
  code: string | null;
  subject: string | null;
  agency_code: string | null;
  received_at: Timestamp;
}

export interface GateTables {
  gates: GatesTable;
  gate_auth_nonces: GateAuthNoncesTable;
  gate_events: GateEventsTable;
}

export type Gate = Selectable<GatesTable>;
