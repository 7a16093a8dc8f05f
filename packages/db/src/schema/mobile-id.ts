// Kysely types of migrations/0009_mobile_id.sql (the mobile public-official ID).
import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type JsonObject = Record<string, unknown>;

export interface MidIssuerKeysTable {
  kid: string;
  public_jwk: JSONColumnType<JsonObject, string, never>;
  private_jwk: JSONColumnType<JsonObject, string, never>;
  active: boolean;
  created_at: Timestamp;
  retired_at: Timestamp | null;
}

export interface MidStatusListsTable {
  id: number;
  size: number;
  bits: Generated<number>;
  allocated: Generated<number>;
  created_at: Timestamp;
  closed_at: Timestamp | null;
  version: Generated<number>;
  token: string | null;
  token_version: number | null;
  token_iat: Timestamp | null;
}

export type MidRequestKind = 'first' | 'reissue';
export type MidRequestState =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'offered'
  | 'issued'
  | 'expired'
  | 'cancelled';

export interface MidRequestsTable {
  id: Generated<string>;
  person_id: string;
  kind: MidRequestKind;
  reason: string;
  state: MidRequestState;
  real_name: string;
  employee_number: string;
  agency_code: string;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_by_employee: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  identity_checked_at: Timestamp | null;
  offered_at: Timestamp | null;
  issued_at: Timestamp | null;
  expired_at: Timestamp | null;
  cancelled_by: string | null;
  cancelled_at: Timestamp | null;
  cancel_reason: string | null;
  updated_at: Timestamp;
}

export interface MidOffersTable {
  id: Generated<string>;
  request_id: string;
  code_hash: string;
  tx_code_hash: string;
  tx_attempts: Generated<number>;
  max_tx_attempts: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  redeemed_at: Timestamp | null;
  access_token_hash: string | null;
  access_expires_at: Timestamp | null;
  invalidated_at: Timestamp | null;
}

export type MidCardState = 'active' | 'suspended' | 'locked' | 'revoked';

export interface MidCardsTable {
  id: Generated<string>;
  person_id: string;
  request_id: string;
  offer_id: string;
  status_list_id: number;
  status_idx: number;
  device_jwk: JSONColumnType<JsonObject, string, never>;
  device_jkt: string;
  state: MidCardState;
  revoke_reason: string | null;
  claims: JSONColumnType<JsonObject, string, string>;
  configurations: JSONColumnType<string[], string | undefined, string>;
  issued_at: Timestamp;
  valid_until: Timestamp;
  state_changed_at: Timestamp;
  state_changed_by: string;
  reissue_due_at: Timestamp | null;
  pin_salt: string;
  pin_iterations: number;
  pin_hash: string | null;
  pin_set_at: Timestamp | null;
  pin_failures: Generated<number>;
  last_unlock_at: Timestamp | null;
}

export interface MidNoncesTable {
  nonce_hash: string;
  purpose: 'credential' | 'pin';
  card_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export type SmsProviderName = 'outbox' | 'webhook';
export type SmsState = 'stored' | 'pending' | 'sending' | 'sent' | 'failed';

export interface SmsMessagesTable {
  id: Generated<string>;
  recipient: string;
  kind: string;
  body: string | null;
  ref: string | null;
  provider: SmsProviderName;
  state: SmsState;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface MobileIdTables {
  mid_issuer_keys: MidIssuerKeysTable;
  mid_status_lists: MidStatusListsTable;
  mid_requests: MidRequestsTable;
  mid_offers: MidOffersTable;
  mid_cards: MidCardsTable;
  mid_nonces: MidNoncesTable;
  sms_messages: SmsMessagesTable;
}

export type MidRequest = Selectable<MidRequestsTable>;
export type MidOffer = Selectable<MidOffersTable>;
export type MidCard = Selectable<MidCardsTable>;
export type MidStatusListRow = Selectable<MidStatusListsTable>;
export type SmsMessage = Selectable<SmsMessagesTable>;
