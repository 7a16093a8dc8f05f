-- Blob garbage collection (apps/server/src/domain/mail/blob-gc.ts) asks, for a batch of stored
-- digests, which ones a row still names. These indexes answer each question without a scan:
-- attachment digests inside mail_messages.attachments (jsonb @> lookups), uploads, the outbound
-- queue's raw copies and export results. (mail_messages.raw_sha256 is indexed since 0007.)
CREATE INDEX mail_messages_attachments_idx ON mail_messages USING gin (attachments jsonb_path_ops);
CREATE INDEX mail_uploads_sha256_idx ON mail_uploads (sha256);
CREATE INDEX mail_outbound_raw_idx ON mail_outbound (raw_sha256);
CREATE INDEX mail_exports_result_idx ON mail_exports (result_sha256) WHERE result_sha256 IS NOT NULL;
