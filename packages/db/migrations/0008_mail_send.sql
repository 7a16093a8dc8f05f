-- Mail sending: DKIM keys, attachment uploads, the outbound queue, read receipts and recall,
-- mailbox exports. Message rows, entries and blobs are the store's (0005: mail_messages, mail_entries).

-- One DKIM key per mail domain, made on first need; the private key signs outbound mail.
CREATE TABLE mail_dkim_keys (
  domain text PRIMARY KEY,
  selector text NOT NULL,
  private_key_pem text NOT NULL,
  -- base64 DER SubjectPublicKeyInfo, published as p= in <selector>._domainkey.<domain>
  public_key_b64 text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Attachments uploaded for a message being composed: the bytes are a blob; the row makes the
-- upload the account's own (another account's upload id is not found).
CREATE TABLE mail_uploads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  filename text NOT NULL,
  content_type text NOT NULL,
  created_at timestamptz NOT NULL,
  -- unused uploads are forgotten after this (drafts keep theirs alive)
  expires_at timestamptz NOT NULL
);
CREATE INDEX mail_uploads_account_idx ON mail_uploads (account_id, created_at);
CREATE INDEX mail_uploads_expiry_idx ON mail_uploads (expires_at);

-- Drafts: the compose state (recipients with Bcc, body, upload ids, the message replied to) of a
-- message being written. The copy shown in the Drafts folder is a store entry (entry_id) rebuilt on
-- each save.
CREATE TABLE mail_drafts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  entry_id uuid REFERENCES mail_entries (id) ON DELETE SET NULL,
  data jsonb NOT NULL,
  -- optimistic concurrency for autosave from several tabs
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX mail_drafts_account_idx ON mail_drafts (account_id, updated_at DESC);

-- The outbound queue: one row per message and recipient domain. Workers claim due rows with
-- FOR UPDATE SKIP LOCKED and hold a lease (claim_token, claimed_until) while they deliver.
CREATE TABLE mail_outbound (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  -- the sender's copy in Sent (NULL once the sender expunged it)
  sent_entry_id uuid REFERENCES mail_entries (id) ON DELETE SET NULL,
  -- the Message-ID header, with brackets
  header_message_id text NOT NULL,
  -- the raw message as transmitted (no Bcc header), a blob
  raw_sha256 text NOT NULL CHECK (raw_sha256 ~ '^[0-9a-f]{64}$'),
  mail_from text NOT NULL,
  domain text NOT NULL,
  -- still to deliver
  recipients text[] NOT NULL,
  delivered text[] NOT NULL DEFAULT '{}',
  -- [{ address, status, diagnostic, remoteMta, at }]
  failed jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- queued: waiting or being delivered; done: nothing left (delivered and/or bounced)
  state text NOT NULL CHECK (state IN ('queued', 'done')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claim_token text,
  claimed_until timestamptz,
  last_error text,
  -- the DSN delivered to the sender's inbox, when one was
  bounce_entry_id uuid REFERENCES mail_entries (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX mail_outbound_due_idx ON mail_outbound (next_attempt_at) WHERE state = 'queued';
CREATE INDEX mail_outbound_sent_idx ON mail_outbound (sent_entry_id);

-- Read receipts (수신확인) and recall (발송취소) of internal mail: one row per local recipient of a
-- message sent through the webmail.
CREATE TABLE mail_receipts (
  -- the sender's copy in Sent (receipts go when the sender expunges it)
  sent_entry_id uuid NOT NULL REFERENCES mail_entries (id) ON DELETE CASCADE,
  sender_account_id uuid NOT NULL REFERENCES accounts (id),
  recipient_account_id uuid NOT NULL REFERENCES accounts (id),
  recipient_address text NOT NULL,
  -- the recipient's copy (NULL once recalled or expunged)
  delivered_entry_id uuid REFERENCES mail_entries (id) ON DELETE SET NULL,
  delivered_at timestamptz NOT NULL,
  -- the first time the recipient opened it
  read_at timestamptz,
  recalled_at timestamptz,
  PRIMARY KEY (sent_entry_id, recipient_account_id)
);
CREATE UNIQUE INDEX mail_receipts_delivered_idx ON mail_receipts (delivered_entry_id);
CREATE INDEX mail_receipts_sender_idx ON mail_receipts (sender_account_id);

-- Mailbox exports (the pre-retirement backup): a job a worker runs, polled for progress.
CREATE TABLE mail_exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  format text NOT NULL CHECK (format IN ('mbox', 'zip')),
  -- NULL: every folder; else the chosen folder ids
  folder_ids uuid[],
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  total integer NOT NULL DEFAULT 0,
  done integer NOT NULL DEFAULT 0,
  -- the finished file, a blob
  result_sha256 text,
  result_size bigint,
  error_code text,
  attempts integer NOT NULL DEFAULT 0,
  claim_token text,
  claimed_until timestamptz,
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX mail_exports_account_idx ON mail_exports (account_id, created_at DESC);
CREATE INDEX mail_exports_due_idx ON mail_exports (created_at) WHERE state IN ('queued', 'running');
