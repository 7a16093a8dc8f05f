import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

// Kysely types of migrations/0008_mail_send.sql (DKIM keys, uploads, drafts, the outbound queue,
// receipts, exports).

type Timestamp = ColumnType<Date, Date, Date>;

export interface MailDkimKeysTable {
  domain: string;
  selector: string;
  private_key_pem: string;
  public_key_b64: string;
  created_at: Timestamp;
}

export interface MailUploadsTable {
  id: Generated<string>;
  account_id: string;
  sha256: string;
  size: number;
  filename: string;
  content_type: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface MailDraftsTable {
  id: Generated<string>;
  account_id: string;
  entry_id: string | null;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutboundFailure {
  address: string;
  status: string;
  diagnostic: string | null;
  remoteMta: string | null;
  at: string;
}

export type OutboundState = 'queued' | 'done';

export interface MailOutboundTable {
  id: Generated<string>;
  account_id: string;
  sent_entry_id: string | null;
  header_message_id: string;
  raw_sha256: string;
  mail_from: string;
  domain: string;
  recipients: string[];
  delivered: Generated<string[]>;
  failed: JSONColumnType<OutboundFailure[], string | undefined, string>;
  state: OutboundState;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claim_token: string | null;
  claimed_until: Timestamp | null;
  last_error: string | null;
  bounce_entry_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MailReceiptsTable {
  sent_entry_id: string;
  sender_account_id: string;
  recipient_account_id: string;
  recipient_address: string;
  delivered_entry_id: string | null;
  delivered_at: Timestamp;
  read_at: Timestamp | null;
  recalled_at: Timestamp | null;
}

export type ExportFormat = 'mbox' | 'zip';
export type ExportState = 'queued' | 'running' | 'done' | 'failed';

export interface MailExportsTable {
  id: Generated<string>;
  account_id: string;
  format: ExportFormat;
  folder_ids: string[] | null;
  state: ExportState;
  total: Generated<number>;
  done: Generated<number>;
  result_sha256: string | null;
  result_size: number | null;
  error_code: string | null;
  attempts: Generated<number>;
  claim_token: string | null;
  claimed_until: Timestamp | null;
  requested_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
  expires_at: Timestamp;
}

export interface MailSendTables {
  mail_dkim_keys: MailDkimKeysTable;
  mail_uploads: MailUploadsTable;
  mail_drafts: MailDraftsTable;
  mail_outbound: MailOutboundTable;
  mail_receipts: MailReceiptsTable;
  mail_exports: MailExportsTable;
}

export type MailUpload = Selectable<MailUploadsTable>;
export type MailDraft = Selectable<MailDraftsTable>;
export type MailOutbound = Selectable<MailOutboundTable>;
export type MailReceipt = Selectable<MailReceiptsTable>;
export type MailExport = Selectable<MailExportsTable>;
