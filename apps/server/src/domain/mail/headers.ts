/**
 * Validation of header values for outgoing mail.
 *
 * Every value that ends up in a header of a message we send — subject, display names,
 * addresses, Message-IDs of the message replied to, custom `X-` headers — goes through here first,
 * so a CR or LF can never split a header (header injection) and an over-long value never reaches
 * the MIME composer. Refusals throw `GongjikError` with `ERR_MAIL_HEADER_INJECTION` (a line break or
 * control character) or `ERR_MAIL_HEADER_INVALID` (too long, malformed), naming the field but never
 * echoing the value.
 */
import { GongjikError } from '@gongjik/errors';

/** RFC 5322 §2.1.1: a line is at most 998 characters; we hold whole values to that. */
export const MAX_HEADER_VALUE_LENGTH = 998;
export const MAX_SUBJECT_LENGTH = 998;
export const MAX_DISPLAY_NAME_LENGTH = 256;
/** A Message-ID is one token; 250 is generous (RFC 5322 sets no limit, real ones are < 100). */
export const MAX_MESSAGE_ID_LENGTH = 250;
/** How many Message-IDs a References header keeps when we build one (root + the newest). */
export const MAX_REFERENCES = 50;

/**
 * Characters that must never appear in a header value: CR, LF and NUL (the injection characters),
 * the other C0 controls except TAB, DEL, the C1 controls (U+0085 NEL is a line break to some
 * software) and the Unicode line and paragraph separators.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;

/** True when the value holds a character that could end or split a header line. */
export function hasForbiddenHeaderCharacter(value: string): boolean {
  return FORBIDDEN.test(value);
}

/**
 * Refuses a value that contains CR, LF, NUL or another control character
 * (`ERR_MAIL_HEADER_INJECTION`), or is longer than `maxLength` (`ERR_MAIL_HEADER_INVALID`).
 * Returns the value, NFC-normalised.
 */
export function assertSafeHeaderValue(
  value: unknown,
  field: string,
  maxLength = MAX_HEADER_VALUE_LENGTH,
): string {
  if (typeof value !== 'string')
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field, reason: 'not-text' });
  if (FORBIDDEN.test(value)) {
    throw new GongjikError('ERR_MAIL_HEADER_INJECTION', { field });
  }
  const normalized = value.normalize('NFC');
  if (normalized.length > maxLength) {
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field, reason: 'too-long' });
  }
  return normalized;
}

/** A subject for sending: no control characters, at most 998 characters, outer spaces trimmed. */
export function validateSubject(subject: unknown, field = 'subject'): string {
  return assertSafeHeaderValue(subject ?? '', field, MAX_SUBJECT_LENGTH).trim();
}

/**
 * A display name for sending: no control characters, at most 256 characters, outer spaces trimmed.
 * Quoting and RFC 2047 encoding are the MIME composer's job, so quotes and commas are allowed.
 */
export function validateDisplayName(name: unknown, field = 'name'): string {
  return assertSafeHeaderValue(name ?? '', field, MAX_DISPLAY_NAME_LENGTH).trim();
}

/** RFC 5322 field name: printable US-ASCII except colon, and we hold it to 76 characters. */
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;

/**
 * A custom header for sending. Only `X-` headers may be set by callers: every structural header
 * (From, To, Subject, Date, Message-ID, Content-*, DKIM-Signature, Received…) is built by the
 * server from validated values, never copied from input.
 */
export function validateCustomHeader(name: unknown, value: unknown): { name: string; value: string } {
  if (typeof name !== 'string' || FORBIDDEN.test(name)) {
    throw new GongjikError('ERR_MAIL_HEADER_INJECTION', { field: 'header name' });
  }
  if (!HEADER_NAME.test(name))
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field: 'header name', reason: 'syntax' });
  if (!/^x-/i.test(name))
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field: 'header name', reason: 'not-x-header' });
  return { name, value: assertSafeHeaderValue(value, name) };
}

/** `<id-left@id-right>`: no spaces, brackets or controls inside; one `@` with text on both sides. */
const MESSAGE_ID = /^<([\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+)>$/;

/**
 * Validates one Message-ID for In-Reply-To / References of a reply. Accepts it with or without
 * angle brackets; returns it with brackets.
 */
export function validateMessageId(id: unknown, field = 'message id'): string {
  const value = assertSafeHeaderValue(id, field, MAX_MESSAGE_ID_LENGTH + 2).trim();
  const bracketed = value.startsWith('<') ? value : `<${value}>`;
  const match = MESSAGE_ID.exec(bracketed);
  if (!match || match[1]!.length > MAX_MESSAGE_ID_LENGTH) {
    throw new GongjikError('ERR_MAIL_HEADER_INVALID', { field, reason: 'message-id-syntax' });
  }
  return bracketed;
}

/**
 * Builds the References list of a reply from the parent's References and Message-ID
 * (RFC 5322 §3.6.4): validated, deduplicated, and bounded to the root plus the newest entries.
 */
export function buildReferences(
  parentReferences: readonly string[],
  parentMessageId: string | null,
): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  const all = parentMessageId ? [...parentReferences, parentMessageId] : [...parentReferences];
  for (const [i, raw] of all.entries()) {
    const id = validateMessageId(raw, `references[${i}]`);
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}
