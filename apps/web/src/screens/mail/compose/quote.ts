// Reply, reply-all and forward: the subject prefix, who the answer goes to, and the original quoted
// below the new text (HTML in a <blockquote>, plain text with "> "). Pure: the screen passes the
// message as the API answered it, the signed-in address, and the header line in its language.
import type { Address } from '../api.ts';
import { addRecipients, type Recipient, withoutAddresses } from './recipients.ts';

export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward';

export interface Original {
  readonly subject: string;
  readonly from: Address | null;
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly sentAt: string | null;
  readonly receivedAt: string;
  readonly text: string | null;
  /** the server-sanitized HTML (sanitized again when the answer is sent) */
  readonly html: string | null;
}

export interface QuotedStart {
  readonly to: Recipient[];
  readonly cc: Recipient[];
  readonly subject: string;
  /** the editor's starting HTML: an empty paragraph to write in, then the quote */
  readonly html: string;
}

export interface QuoteLabels {
  /** e.g. `2026. 11. 22. 오후 3:05, 류시원 <ryu@korea.kr> 님이 작성:` */
  readonly wrote: (date: string, who: string) => string;
  readonly forwarded: string;
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly date: string;
  readonly subject: string;
  readonly formatDate: (iso: string) => string;
}

const PREFIX = /^\s*(?:(?:re|fw|fwd|회신|전달|답장)\s*(?:\[\d+\])?\s*[:：]\s*|\[(?:re|fw|fwd)\]\s*)+/i;

/** `RE: 회의 일정` — never `RE: RE: …`; forwards get `FW:`. */
export function prefixedSubject(subject: string, mode: 'reply' | 'forward'): string {
  const base = subject.replace(PREFIX, '').trim();
  const prefix = mode === 'reply' ? 'RE: ' : 'FW: ';
  return `${prefix}${base}`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** Plain text as HTML paragraphs (line breaks kept). */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** `> ` before every line, as plain-text replies quote. */
export function quoteText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
    .join('\n');
}

const fmt = (a: Address) => (a.name ? `${a.name} <${a.address}>` : a.address);
const asRecipient = (a: Address): Recipient => ({ name: a.name, address: a.address });

/** Who a reply goes to: Reply-To if the sender set one, else From. Reply-all adds To and Cc, without me. */
export function replyRecipients(
  original: Original,
  mode: 'reply' | 'replyAll',
  me: string,
): { to: Recipient[]; cc: Recipient[] } {
  const self = [{ name: '', address: me }];
  const primary = original.replyTo.length > 0 ? original.replyTo : original.from ? [original.from] : [];
  let to = addRecipients([], primary.map(asRecipient));
  // Replying to my own sent message: answer its recipients instead of myself.
  if (withoutAddresses(to, self).length === 0 && mode === 'reply') to = original.to.map(asRecipient);
  if (mode === 'reply') return { to: withoutAddresses(to, self), cc: [] };
  to = withoutAddresses(addRecipients(to, original.to.map(asRecipient)), self);
  const cc = withoutAddresses(withoutAddresses(addRecipients([], original.cc.map(asRecipient)), to), self);
  return { to, cc };
}

/**
 * The original in the quote: its text part, escaped, when it has one. Its HTML (sanitized by the
 * server) only when there is no text: the editor is a live part of our page, so the less foreign
 * markup it holds, the better (the strict CSP and the server's second sanitization still apply).
 */
function originalHtml(original: Original): string {
  if (original.text?.trim()) return textToHtml(original.text);
  return original.html ?? '';
}

export function quotedStart(
  original: Original,
  mode: 'reply' | 'replyAll' | 'forward',
  me: string,
  labels: QuoteLabels,
): QuotedStart {
  const when = labels.formatDate(original.sentAt ?? original.receivedAt);
  const who = original.from ? fmt(original.from) : '';
  if (mode === 'forward') {
    const rows: [string, string][] = [
      [labels.from, who],
      [labels.date, when],
      [labels.to, original.to.map(fmt).join(', ')],
    ];
    if (original.cc.length) rows.push([labels.cc, original.cc.map(fmt).join(', ')]);
    rows.push([labels.subject, original.subject]);
    const header = rows.map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`).join('<br>');
    return {
      to: [],
      cc: [],
      subject: prefixedSubject(original.subject, 'forward'),
      html: `<p><br></p><p>---------- ${escapeHtml(labels.forwarded)} ----------<br>${header}</p>${originalHtml(original)}`,
    };
  }
  const { to, cc } = replyRecipients(original, mode, me);
  return {
    to,
    cc,
    subject: prefixedSubject(original.subject, 'reply'),
    html: `<p><br></p><p>${escapeHtml(labels.wrote(when, who))}</p><blockquote>${originalHtml(original)}</blockquote>`,
  };
}
