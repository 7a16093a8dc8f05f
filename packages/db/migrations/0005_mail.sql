-- The mail store: mailboxes (quota), folders, messages (one row per distinct received or composed
-- message, shared by every local recipient), mailbox entries (one row per message in one account's
-- folder: flags, thread, search vector). Bodies and attachments live in the blob store
-- (<data-dir>/blobs, content-addressed by SHA-256); rows name blobs by their hex digest.

-- One per account that has mail: quota and usage. used_bytes and message_count are maintained by the
-- mail_entries trigger below, so every writer (delivery, send, recall, delete) keeps them right.
CREATE TABLE mailboxes (
  account_id uuid PRIMARY KEY REFERENCES accounts (id),
  quota_bytes bigint NOT NULL CHECK (quota_bytes >= 0),
  used_bytes bigint NOT NULL DEFAULT 0,
  message_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL
);

-- System folders have a role (inbox 받은편지함, sent 보낸편지함, drafts 임시보관함, spam 스팸,
-- trash 휴지통); user folders have none and may nest. Counts are kept by the mail_entries trigger.
CREATE TABLE mail_folders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  parent_id uuid REFERENCES mail_folders (id),
  role text CHECK (role IN ('inbox', 'sent', 'drafts', 'spam', 'trash')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  total_count integer NOT NULL DEFAULT 0,
  unread_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (parent_id IS NULL OR parent_id <> id),
  CHECK (role IS NULL OR parent_id IS NULL)
);
CREATE UNIQUE INDEX mail_folders_role_idx ON mail_folders (account_id, role) WHERE role IS NOT NULL;
-- Sibling names are unique (case-insensitively); top-level folders have parent_id NULL.
CREATE UNIQUE INDEX mail_folders_name_idx
  ON mail_folders (account_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX mail_folders_parent_idx ON mail_folders (parent_id);

-- A message as received (SMTP) or composed (send): the raw RFC 5322 bytes are the blob raw_sha256.
CREATE TABLE mail_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  raw_sha256 text NOT NULL CHECK (raw_sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  -- the Message-ID header without brackets (NULL when missing or unusable)
  header_message_id text,
  -- Message-IDs from References + In-Reply-To, root first (thread.ts messageLinks)
  links text[] NOT NULL DEFAULT '{}',
  in_reply_to text,
  subject text NOT NULL DEFAULT '',
  -- subjectKey() of the subject, for the thread subject fallback
  subject_key text NOT NULL DEFAULT '',
  from_address text,
  from_name text,
  -- [{ "name": "…", "address": "…" }]
  to_list jsonb NOT NULL DEFAULT '[]'::jsonb,
  cc_list jsonb NOT NULL DEFAULT '[]'::jsonb,
  bcc_list jsonb NOT NULL DEFAULT '[]'::jsonb,
  reply_to jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- the Date header (NULL when missing or unreadable)
  sent_at timestamptz,
  received_at timestamptz NOT NULL,
  has_attachments boolean NOT NULL DEFAULT false,
  -- [{ "partId", "filename", "contentType", "size", "sha256", "contentId", "inline" }]
  attachments jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- the first characters of the text body, for lists
  excerpt text NOT NULL DEFAULT '',
  -- SPF / DKIM / DMARC / ARC verdicts (mailauth), NULL for locally composed mail
  auth jsonb,
  -- received from outside the local domains (the web app marks it "external sender")
  external boolean NOT NULL DEFAULT false,
  -- SMTP envelope: MAIL FROM and RCPT TO as received, the client's address and HELO
  envelope jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX mail_messages_header_id_idx ON mail_messages (header_message_id);
CREATE INDEX mail_messages_links_idx ON mail_messages USING gin (links);
CREATE INDEX mail_messages_raw_idx ON mail_messages (raw_sha256);

-- One message in one account's folder.
CREATE TABLE mail_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id),
  folder_id uuid NOT NULL REFERENCES mail_folders (id),
  message_id uuid NOT NULL REFERENCES mail_messages (id),
  thread_id uuid NOT NULL,
  -- copied from mail_messages so that listing and search read one table
  received_at timestamptz NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  has_attachments boolean NOT NULL DEFAULT false,
  subject_key text NOT NULL DEFAULT '',
  seen boolean NOT NULL DEFAULT false,
  flagged boolean NOT NULL DEFAULT false,
  answered boolean NOT NULL DEFAULT false,
  forwarded boolean NOT NULL DEFAULT false,
  draft boolean NOT NULL DEFAULT false,
  -- the folder a message in Trash came from (for "restore")
  trashed_from uuid,
  -- searchVector() text with scopeTerm('account', account_id)
  search_vector tsvector NOT NULL,
  created_at timestamptz NOT NULL
);
-- The folder list, newest first, paged by keyset (received_at, id).
CREATE INDEX mail_entries_folder_idx ON mail_entries (folder_id, received_at DESC, id DESC);
-- Search across folders, newest first: for a common term the planner walks this index and stops
-- after one page instead of collecting every match from the GIN index and sorting it.
CREATE INDEX mail_entries_account_date_idx ON mail_entries (account_id, received_at DESC, id DESC);
CREATE INDEX mail_entries_thread_idx ON mail_entries (account_id, thread_id);
CREATE INDEX mail_entries_message_idx ON mail_entries (message_id);
CREATE INDEX mail_entries_subject_idx ON mail_entries (account_id, subject_key) WHERE subject_key <> '';
CREATE INDEX mail_entries_search_idx ON mail_entries USING gin (search_vector);
-- At most one copy of a message per folder: a retried delivery cannot duplicate it.
CREATE UNIQUE INDEX mail_entries_folder_message_idx ON mail_entries (folder_id, message_id);

-- Counters: folder totals and unread counts, mailbox usage. One trigger, every writer.
CREATE FUNCTION mail_entries_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE mail_folders SET total_count = total_count + 1,
      unread_count = unread_count + (CASE WHEN NEW.seen THEN 0 ELSE 1 END)
      WHERE id = NEW.folder_id;
    UPDATE mailboxes SET used_bytes = used_bytes + NEW.size, message_count = message_count + 1
      WHERE account_id = NEW.account_id;
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE mail_folders SET total_count = total_count - 1,
      unread_count = unread_count - (CASE WHEN OLD.seen THEN 0 ELSE 1 END)
      WHERE id = OLD.folder_id;
    UPDATE mailboxes SET used_bytes = used_bytes - OLD.size, message_count = message_count - 1
      WHERE account_id = OLD.account_id;
    RETURN OLD;
  ELSE
    IF NEW.folder_id <> OLD.folder_id OR NEW.seen <> OLD.seen THEN
      UPDATE mail_folders SET total_count = total_count - 1,
        unread_count = unread_count - (CASE WHEN OLD.seen THEN 0 ELSE 1 END)
        WHERE id = OLD.folder_id;
      UPDATE mail_folders SET total_count = total_count + 1,
        unread_count = unread_count + (CASE WHEN NEW.seen THEN 0 ELSE 1 END)
        WHERE id = NEW.folder_id;
    END IF;
    IF NEW.size <> OLD.size OR NEW.account_id <> OLD.account_id THEN
      UPDATE mailboxes SET used_bytes = used_bytes - OLD.size WHERE account_id = OLD.account_id;
      UPDATE mailboxes SET used_bytes = used_bytes + NEW.size WHERE account_id = NEW.account_id;
    END IF;
    RETURN NEW;
  END IF;
END
$$;
CREATE TRIGGER mail_entries_count_trg
  AFTER INSERT OR UPDATE OR DELETE ON mail_entries
  FOR EACH ROW EXECUTE FUNCTION mail_entries_count();
