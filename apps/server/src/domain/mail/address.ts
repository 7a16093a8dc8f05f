/**
 * Strict e-mail address parsing for sending.
 *
 * We accept what an official types into the To/Cc/Bcc fields of the webmail, or what the API
 * receives as `{ name, address }`, and produce values the MIME composer and the SMTP envelope can
 * use without further checks:
 * - addr-spec only as `local@domain` with a dot-atom local part (RFC 5322 §3.4.1) of at most 64
 *   octets; quoted local parts, comments, groups, source routes and domain literals (`[1.2.3.4]`)
 *   are refused: nobody needs them to write to a colleague, and each is a parser-confusion risk;
 * - ASCII local parts only (we do not offer SMTPUTF8);
 * - the domain is converted to ASCII (IDNA/punycode, `한국.kr` → `xn--3e0b707e.kr`) with Node's
 *   WHATWG URL implementation, lower-cased, and checked label by label (LDH, 1–63 octets, at most
 *   253 octets, at least two labels, a TLD that is not all digits);
 * - the whole address is at most 254 octets (RFC 5321 §4.5.3.1.3 path limit minus brackets);
 * - CR, LF, NUL or any control character anywhere is `ERR_MAIL_HEADER_INJECTION`; every other
 *   refusal is `ERR_MAIL_ADDRESS_INVALID` with a short `reason` (never the address itself).
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { GongjikError } from '@gongjik/errors';
import { hasForbiddenHeaderCharacter, validateDisplayName } from './headers.ts';

export const MAX_LOCAL_PART_LENGTH = 64;
export const MAX_DOMAIN_LENGTH = 253;
export const MAX_ADDRESS_LENGTH = 254;
/** Default cap on To + Cc + Bcc after deduplication. */
export const DEFAULT_MAX_RECIPIENTS = 100;
/** Longest mailbox string (`"name" <address>`) we even start to parse. */
const MAX_MAILBOX_INPUT_LENGTH = 1024;

export interface Mailbox {
  /** Display name, NFC, trimmed; '' when none. */
  readonly name: string;
  /** `local@ascii-domain`, domain lower-cased. */
  readonly address: string;
  readonly local: string;
  /** The domain in ASCII (punycode for IDN). */
  readonly domain: string;
  /** The domain for display (Unicode form of an IDN). */
  readonly unicodeDomain: string;
}

export type MailboxInput = string | { readonly name?: string | null; readonly address: string };

/** RFC 5322 atext. */
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function invalid(field: string, reason: string): GongjikError {
  return new GongjikError('ERR_MAIL_ADDRESS_INVALID', { field, reason });
}

/**
 * Parses and validates a bare address (`hong@korea.kr`, `홍@...` is refused, `hong@한국.kr` is
 * converted). Surrounding spaces are trimmed.
 */
export function parseAddress(input: unknown, field = 'address'): Omit<Mailbox, 'name'> {
  if (typeof input !== 'string') throw invalid(field, 'not-text');
  if (hasForbiddenHeaderCharacter(input)) throw new GongjikError('ERR_MAIL_HEADER_INJECTION', { field });
  if (input.length > MAX_MAILBOX_INPUT_LENGTH) throw invalid(field, 'too-long');
  const value = input.trim();
  if (value === '') throw invalid(field, 'empty');
  const at = value.lastIndexOf('@');
  if (at < 0) throw invalid(field, 'missing-at');
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1);
  if (local === '') throw invalid(field, 'empty-local-part');
  if (local.startsWith('"')) throw invalid(field, 'quoted-local-part');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/[^\x00-\x7f]/.test(local)) throw invalid(field, 'non-ascii-local-part');
  if (!DOT_ATOM.test(local)) throw invalid(field, 'local-part-syntax');
  if (local.length > MAX_LOCAL_PART_LENGTH) throw invalid(field, 'local-part-too-long');
  const domain = toAsciiDomain(rawDomain, field);
  const address = `${local}@${domain}`;
  if (address.length > MAX_ADDRESS_LENGTH) throw invalid(field, 'too-long');
  return { address, local, domain, unicodeDomain: domainToUnicode(domain) || domain };
}

/** Converts a (possibly internationalised) domain to lower-case ASCII and checks every label. */
export function toAsciiDomain(input: string, field = 'domain'): string {
  if (input === '') throw invalid(field, 'empty-domain');
  if (input.startsWith('[')) throw invalid(field, 'domain-literal');
  // Only characters that can belong to a host name reach the IDNA mapping: no '%', '/', ':' etc.
  if (/[\s%/\\:?#@[\]<>"',;()]/.test(input)) throw invalid(field, 'domain-syntax');
  const ascii = domainToASCII(input);
  if (ascii === '') throw invalid(field, 'domain-syntax');
  if (ascii.length > MAX_DOMAIN_LENGTH) throw invalid(field, 'domain-too-long');
  const labels = ascii.split('.');
  if (labels.length < 2) throw invalid(field, 'domain-not-qualified');
  for (const label of labels) {
    if (!LABEL.test(label)) throw invalid(field, 'domain-syntax');
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) throw invalid(field, 'domain-numeric-tld');
  return ascii;
}

/**
 * Parses one mailbox: `{ name, address }`, a bare address, or `Name <address>` /
 * `"Name, Quoted" <address>`. Anything else (groups, comments, several addresses) is refused.
 */
export function parseMailbox(input: MailboxInput, field = 'address'): Mailbox {
  if (typeof input === 'object' && input !== null) {
    const name = validateDisplayName(input.name ?? '', `${field}.name`);
    return { name, ...parseAddress(input.address, field) };
  }
  if (typeof input !== 'string') throw invalid(field, 'not-text');
  if (hasForbiddenHeaderCharacter(input)) throw new GongjikError('ERR_MAIL_HEADER_INJECTION', { field });
  if (input.length > MAX_MAILBOX_INPUT_LENGTH) throw invalid(field, 'too-long');
  const value = input.trim();
  if (!value.endsWith('>')) return { name: '', ...parseAddress(value, field) };
  const open = value.lastIndexOf('<');
  if (open < 0) throw invalid(field, 'mailbox-syntax');
  const inner = value.slice(open + 1, -1);
  let name = value.slice(0, open).trim();
  if (name.startsWith('"')) {
    if (name.length < 2 || !name.endsWith('"')) throw invalid(field, 'mailbox-syntax');
    const quoted = name.slice(1, -1);
    if (/(^|[^\\])"/.test(quoted)) throw invalid(field, 'mailbox-syntax');
    name = quoted.replace(/\\(.)/g, '$1');
  } else if (/[<>"]/.test(name)) {
    throw invalid(field, 'mailbox-syntax');
  }
  return { name: validateDisplayName(name, `${field}.name`), ...parseAddress(inner, field) };
}

/** The key under which two addresses are the same recipient: the whole address, lower-cased. */
export function addressKey(address: string): string {
  return address.toLowerCase();
}

export interface Recipients {
  readonly to: readonly Mailbox[];
  readonly cc: readonly Mailbox[];
  readonly bcc: readonly Mailbox[];
  /** Every envelope recipient, in order, each once. */
  readonly all: readonly string[];
}

/**
 * Validates To, Cc and Bcc for sending and removes duplicates across them: an address keeps its
 * first place in the order To, Cc, Bcc (so a Bcc that is also in To stays visible, never doubled),
 * compared case-insensitively. Refuses an empty result (`ERR_MAIL_NO_RECIPIENTS`) and more than
 * `max` distinct recipients (`ERR_MAIL_TOO_MANY_RECIPIENTS`); the inputs are bounded before they
 * are parsed, so a huge list costs nothing.
 */
export function normalizeRecipients(
  to: readonly MailboxInput[] | null | undefined,
  cc: readonly MailboxInput[] | null | undefined,
  bcc: readonly MailboxInput[] | null | undefined,
  options: { max?: number } = {},
): Recipients {
  const max = options.max ?? DEFAULT_MAX_RECIPIENTS;
  const lists = { to: to ?? [], cc: cc ?? [], bcc: bcc ?? [] };
  const given = lists.to.length + lists.cc.length + lists.bcc.length;
  // Duplicates are legal, but a list far longer than the cap is refused before any parsing.
  if (given > max * 4) throw new GongjikError('ERR_MAIL_TOO_MANY_RECIPIENTS', { max });
  const seen = new Set<string>();
  const all: string[] = [];
  const out: { to: Mailbox[]; cc: Mailbox[]; bcc: Mailbox[] } = { to: [], cc: [], bcc: [] };
  for (const kind of ['to', 'cc', 'bcc'] as const) {
    for (const [i, item] of lists[kind].entries()) {
      const mailbox = parseMailbox(item, `${kind}[${i}]`);
      const key = addressKey(mailbox.address);
      if (seen.has(key)) continue;
      seen.add(key);
      out[kind].push(mailbox);
      all.push(mailbox.address);
    }
  }
  if (all.length === 0) throw new GongjikError('ERR_MAIL_NO_RECIPIENTS');
  if (all.length > max) throw new GongjikError('ERR_MAIL_TOO_MANY_RECIPIENTS', { max });
  return { ...out, all };
}
