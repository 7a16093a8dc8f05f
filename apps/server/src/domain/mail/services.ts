// What the sending side of the mail core is built from: the blob store, limits and the hooks that
// wake the outbound worker. Made once at start-up (start.ts) or by a test, passed down.
import type { BlobStore } from './blobs/blob-store.ts';
import type { RetryPolicy } from './outbound.ts';

export interface MailSendSettings {
  /** the server's own mail domain (GONGJIK_MAIL_DOMAIN) */
  readonly mailDomain: string;
  /** our host name: EHLO, Reporting-MTA of DSNs */
  readonly hostname: string;
  /** largest message we compose (attachments included, before MIME encoding) */
  readonly maxMessageBytes: number;
  /** largest single upload */
  readonly maxUploadBytes: number;
  /** how long an upload that no draft or message uses is kept */
  readonly uploadTtlMs: number;
  /** To + Cc + Bcc */
  readonly maxRecipients: number;
  readonly retry: RetryPolicy;
  /** how long a finished export can be downloaded */
  readonly exportTtlMs: number;
}

export interface MailServices {
  readonly blobs: BlobStore;
  readonly settings: MailSendSettings;
  /** asks the outbound worker to run soon (a message was queued) */
  kickOutbound(): void;
  /** asks the export worker to run soon (an export was requested) */
  kickExports(): void;
}

export const DEFAULT_MAIL_SEND_SETTINGS: Omit<MailSendSettings, 'mailDomain' | 'hostname' | 'retry'> = {
  maxMessageBytes: 25 * 1024 * 1024,
  maxUploadBytes: 25 * 1024 * 1024,
  uploadTtlMs: 24 * 3_600_000,
  maxRecipients: 100,
  exportTtlMs: 7 * 24 * 3_600_000,
};
