// Kysely types of migrations/0014_signature.sql (electronic signature requests).
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;

export type SigRequestState = 'pending' | 'signed' | 'declined' | 'expired';

export interface SigRequestsTable {
  id: Generated<string>;
  client_id: string;
  person_id: string;
  title: string;
  sha256: string;
  reason: string | null;
  state: Generated<SigRequestState>;
  created_at: Timestamp;
  expires_at: Timestamp;
  answered_at: Timestamp | null;
  card_id: string | null;
  bundle: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  signed_at: Timestamp | null;
  callback_url: string | null;
}

export interface SignatureTables {
  sig_requests: SigRequestsTable;
}

export type SigRequest = Selectable<SigRequestsTable>;
