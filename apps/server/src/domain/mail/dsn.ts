/**
 * Delivery Status Notifications (RFC 3464): the bounce a sender finds in their inbox when an
 * outbound message could not be delivered. A `multipart/report; report-type=delivery-status` with
 * three parts: a human-readable explanation (Korean and English), the machine-readable
 * `message/delivery-status`, and the original message's headers (`text/rfc822-headers`).
 *
 * Everything that came from a remote server (its reply text, its host name) is reduced to
 * printable ASCII on one line and bounded before it is written, so a hostile MX cannot inject
 * headers or parts into the bounce.
 */
import MimeNode from 'nodemailer/lib/mime-node';
import { newMessageId } from './compose.ts';

export interface DsnRecipient {
  /** the address we tried */
  readonly address: string;
  /** `failed` after the last attempt or a permanent refusal; `delayed` for a warning */
  readonly action: 'failed' | 'delayed';
  /** RFC 3463 status, e.g. 5.1.1 */
  readonly status: string;
  /** the remote MTA's host name, when we reached one */
  readonly remoteMta?: string | null;
  /** the remote reply (`550 5.1.1 no such user`) or our own reason */
  readonly diagnostic?: string | null;
  readonly lastAttempt: Date;
}

export interface DsnInput {
  /** our host name, for Reporting-MTA and the From address */
  readonly reportingMta: string;
  /** the domain of MAILER-DAEMON@… */
  readonly domain: string;
  /** who gets the bounce (the original sender) */
  readonly to: string;
  readonly arrivalDate: Date;
  readonly recipients: readonly DsnRecipient[];
  /** the header block of the original message (up to the blank line) */
  readonly originalHeaders: Buffer | string;
  readonly originalSubject?: string | null;
  readonly now: Date;
  /** Message-ID of the original, for In-Reply-To/References so the bounce threads with it */
  readonly originalMessageId?: string | null;
}

const MAX_DIAGNOSTIC = 500;
const MAX_HEADERS_BYTES = 64 * 1024;

/** One line of printable ASCII, at most `max` characters: for anything a remote server said. */
export function dsnSafe(value: string | null | undefined, max = MAX_DIAGNOSTIC): string {
  if (!value) return '';
  return value
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** RFC 5322 date-time in UTC. */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

const STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;

/** The RFC 3463 status in a reply (`550 5.1.1 …` → 5.1.1), else one derived from the code. */
export function statusFromReply(reply: string | null | undefined, permanent: boolean): string {
  const m = /^\s*([245])\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply ?? '');
  if (m && STATUS.test(m[2]!) && m[2]![0] === m[1]) return m[2]!;
  return permanent ? '5.0.0' : '4.0.0';
}

function humanText(input: DsnInput): string {
  const lines = [
    '보내신 메일을 다음 받는 사람에게 전달하지 못했습니다.',
    'Your message could not be delivered to the following recipients.',
    '',
  ];
  for (const r of input.recipients) {
    lines.push(`  ${dsnSafe(r.address, 254)}`);
    if (r.diagnostic) lines.push(`    ${dsnSafe(r.diagnostic)}`);
  }
  lines.push(
    '',
    `제목 / Subject: ${(input.originalSubject ?? '').replace(/[\r\n]+/g, ' ').slice(0, 200)}`,
    '',
    '-- Gongjik 메일 전달 시스템 / Mail Delivery System',
    '',
  );
  return lines.join('\n');
}

function deliveryStatus(input: DsnInput): string {
  const out = [`Reporting-MTA: dns; ${dsnSafe(input.reportingMta, 253)}`];
  out.push(`Arrival-Date: ${rfc5322Date(input.arrivalDate)}`, '');
  for (const r of input.recipients) {
    out.push(`Final-Recipient: rfc822; ${dsnSafe(r.address, 254)}`);
    out.push(`Action: ${r.action}`);
    out.push(`Status: ${STATUS.test(r.status) ? r.status : '5.0.0'}`);
    if (r.remoteMta) out.push(`Remote-MTA: dns; ${dsnSafe(r.remoteMta, 253)}`);
    if (r.diagnostic) out.push(`Diagnostic-Code: smtp; ${dsnSafe(r.diagnostic)}`);
    out.push(`Last-Attempt-Date: ${rfc5322Date(r.lastAttempt)}`, '');
  }
  return out.join('\r\n');
}

/** The header block of a raw message (bytes up to the first empty line), bounded. */
export function headerBlock(raw: Buffer): Buffer {
  const limit = Math.min(raw.length, MAX_HEADERS_BYTES);
  for (let i = 0; i < limit - 1; i++) {
    if (raw[i] === 0x0a && (raw[i + 1] === 0x0a || (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a))) {
      return raw.subarray(0, i + 1);
    }
  }
  return raw.subarray(0, limit);
}

/** Builds the DSN as a complete message (bytes, CRLF line ends). */
export async function buildDsn(input: DsnInput): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = newMessageId(input.domain);
  const root = new MimeNode('multipart/report');
  root.setHeader('Content-Type', 'multipart/report; report-type=delivery-status');
  root.setHeader({
    From: { name: '메일 전달 시스템 (Mail Delivery System)', address: `MAILER-DAEMON@${input.domain}` },
    To: input.to,
    Subject: '메일 전달 실패 (Undelivered Mail Returned to Sender)',
    Date: rfc5322Date(input.now),
    'Message-ID': messageId,
    'Auto-Submitted': 'auto-replied',
  });
  if (input.originalMessageId) {
    root.setHeader('In-Reply-To', input.originalMessageId);
    root.setHeader('References', input.originalMessageId);
  }
  const text = root.createChild('text/plain; charset=utf-8');
  text.setHeader('Content-Transfer-Encoding', 'base64');
  text.setContent(humanText(input));
  const status = root.createChild('message/delivery-status');
  status.setHeader('Content-Transfer-Encoding', '7bit');
  status.setContent(deliveryStatus(input));
  const headers = root.createChild('text/rfc822-headers');
  const original = Buffer.isBuffer(input.originalHeaders)
    ? input.originalHeaders
    : Buffer.from(input.originalHeaders, 'utf8');
  if (original.every((b) => b < 0x80)) {
    headers.setContent(original.toString('latin1'));
  } else {
    headers.setHeader('Content-Transfer-Encoding', 'base64');
    headers.setContent(original);
  }
  return { raw: await root.build(), messageId };
}
