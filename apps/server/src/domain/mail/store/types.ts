// Types shared by the store functions, the SMTP server and the send path.
import type {
  FolderRole,
  MailAddressJson,
  MailAttachmentJson,
  MailAuthJson,
  MailEnvelopeJson,
} from '@gongjik/db';

export type { FolderRole, MailAddressJson, MailAttachmentJson, MailAuthJson, MailEnvelopeJson };

/** A stored blob: its SHA-256 (hex) and size in bytes. */
export interface BlobRef {
  readonly sha256: string;
  readonly size: number;
}

/**
 * What the store needs to know about a message, as produced by the SMTP parser
 * (`smtp/parse.ts`) or by the composer (send). Strings are already decoded (RFC 2047).
 */
export interface ParsedMessage {
  /** Message-ID header (with or without brackets), null when missing */
  readonly messageId: string | null;
  /** raw In-Reply-To / References headers, or parsed id lists */
  readonly inReplyTo?: string | readonly string[] | null;
  readonly references?: string | readonly string[] | null;
  readonly subject: string;
  readonly from: MailAddressJson | null;
  readonly to: readonly MailAddressJson[];
  readonly cc: readonly MailAddressJson[];
  /** only for the sender's own copy (Sent, Drafts) */
  readonly bcc?: readonly MailAddressJson[];
  readonly replyTo?: readonly MailAddressJson[];
  /** the Date header, null when missing or unreadable */
  readonly date: Date | null;
  /** the text body (or text made from HTML), for the excerpt and the search index; may be cut */
  readonly text: string;
  readonly attachments: readonly MailAttachmentJson[];
}

export interface MessageFlags {
  readonly seen: boolean;
  readonly flagged: boolean;
  readonly answered: boolean;
  readonly forwarded: boolean;
  readonly draft: boolean;
}

export const FLAG_NAMES = ['seen', 'flagged', 'answered', 'forwarded', 'draft'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];
