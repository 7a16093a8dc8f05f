import type { ColumnType, Generated, JSONColumnType, Selectable } from 'kysely';

// Kysely types of migrations/0007_mail.sql (the mail store).

type Timestamp = ColumnType<Date, Date, Date>;

export interface MailTables {
  mailboxes: MailboxesTable;
  mail_folders: MailFoldersTable;
  mail_messages: MailMessagesTable;
  mail_entries: MailEntriesTable;
}

export interface MailboxesTable {
  account_id: string;
  quota_bytes: number;
  /** maintained by the mail_entries trigger */
  used_bytes: Generated<number>;
  message_count: Generated<number>;
  created_at: Timestamp;
}

/** inbox 받은편지함 · sent 보낸편지함 · drafts 임시보관함 · spam 스팸 · trash 휴지통 */
export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'spam' | 'trash';

export interface MailFoldersTable {
  id: Generated<string>;
  account_id: string;
  parent_id: string | null;
  role: FolderRole | null;
  name: string;
  total_count: Generated<number>;
  unread_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MailAddressJson {
  name: string;
  address: string;
}

export interface MailAttachmentJson {
  /** MIME part path, e.g. "2" or "1.3" */
  partId: string;
  filename: string | null;
  contentType: string;
  /** decoded size in bytes */
  size: number;
  /** blob of the decoded content */
  sha256: string;
  contentId: string | null;
  inline: boolean;
}

/** SPF, DKIM, DMARC, ARC verdicts (from mailauth), kept short and safe to show. */
export interface MailAuthJson {
  spf: { result: string; domain: string | null };
  dkim: { result: string; domain: string | null; selector: string | null; aligned: boolean }[];
  dmarc: { result: string; policy: string | null; domain: string | null };
  arc: { result: string };
  /** Authentication-Results header value (RFC 8601) as we would add it */
  header: string;
}

export interface MailEnvelopeJson {
  mailFrom?: string | null;
  rcptTo?: string[];
  remoteAddress?: string;
  helo?: string;
  tls?: boolean;
}

export interface MailMessagesTable {
  id: Generated<string>;
  raw_sha256: string;
  size: number;
  header_message_id: string | null;
  links: ColumnType<string[], string[] | undefined, string[]>;
  in_reply_to: string | null;
  subject: Generated<string>;
  subject_key: Generated<string>;
  from_address: string | null;
  from_name: string | null;
  to_list: JSONColumnType<MailAddressJson[], string | undefined, string>;
  cc_list: JSONColumnType<MailAddressJson[], string | undefined, string>;
  bcc_list: JSONColumnType<MailAddressJson[], string | undefined, string>;
  reply_to: JSONColumnType<MailAddressJson[], string | undefined, string>;
  sent_at: Timestamp | null;
  received_at: Timestamp;
  has_attachments: Generated<boolean>;
  attachments: JSONColumnType<MailAttachmentJson[], string | undefined, string>;
  excerpt: Generated<string>;
  auth: JSONColumnType<MailAuthJson | null, string | null | undefined, string | null>;
  external: Generated<boolean>;
  envelope: JSONColumnType<MailEnvelopeJson, string | undefined, string>;
  created_at: Timestamp;
}

export interface MailEntriesTable {
  id: Generated<string>;
  account_id: string;
  folder_id: string;
  message_id: string;
  thread_id: string;
  received_at: Timestamp;
  size: number;
  has_attachments: Generated<boolean>;
  subject_key: Generated<string>;
  seen: Generated<boolean>;
  flagged: Generated<boolean>;
  answered: Generated<boolean>;
  forwarded: Generated<boolean>;
  draft: Generated<boolean>;
  trashed_from: string | null;
  /** write the text of searchVector() (cast to tsvector by the column); reads return text */
  search_vector: string;
  created_at: Timestamp;
}

export type Mailbox = Selectable<MailboxesTable>;
export type MailFolder = Selectable<MailFoldersTable>;
export type MailMessage = Selectable<MailMessagesTable>;
export type MailEntry = Selectable<MailEntriesTable>;
