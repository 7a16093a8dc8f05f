// Recipients as the compose screen holds them: chips of { name, address }. Typed or pasted text is
// split into addresses (`,` `;` or line breaks; `이름 <id@korea.kr>` or a bare address, quotes
// allowed around the name). The check here only catches typos early; the server decides (it
// punycodes IDN domains and refuses what it cannot deliver, with a code).

export interface Recipient {
  readonly name: string;
  readonly address: string;
}

export interface ParsedRecipients {
  readonly valid: Recipient[];
  /** the pieces that are not addresses, as typed (trimmed) */
  readonly invalid: string[];
}

/** Local part: dot-atom; domain: labels of letters (any script), digits and hyphens, with a dot. */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

export const MAX_RECIPIENTS = 100;

export function isAddress(text: string): boolean {
  return text.length <= 254 && ADDRESS.test(text) && text.indexOf('@') <= 64;
}

/** Splits on separators that are not inside quotes or angle brackets. */
function split(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const c of text) {
    if (c === '"' && !angle) quoted = !quoted;
    else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    if (!quoted && !angle && (c === ',' || c === ';' || c === '\n' || c === '\r')) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** One piece: `Name <a@b>`, `"Name" <a@b>`, `<a@b>` or `a@b`; null when it is not an address. */
export function parseOne(piece: string): Recipient | null {
  const text = piece.trim();
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(text);
  if (m) {
    const address = m[2]!.trim();
    let name = m[1]!.trim();
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).trim();
    if (/[\r\n<>]/.test(name) || !isAddress(address)) return null;
    return { name: name.normalize('NFC'), address };
  }
  return isAddress(text) ? { name: '', address: text } : null;
}

export function parseRecipients(text: string): ParsedRecipients {
  const valid: Recipient[] = [];
  const invalid: string[] = [];
  for (const piece of split(text)) {
    const r = parseOne(piece);
    if (r) valid.push(r);
    else invalid.push(piece);
  }
  return { valid, invalid };
}

const key = (address: string) => address.toLowerCase();

/** Adds recipients not already in `list` (case-insensitive), keeping the order; at most MAX_RECIPIENTS. */
export function addRecipients(list: readonly Recipient[], more: readonly Recipient[]): Recipient[] {
  const seen = new Set(list.map((r) => key(r.address)));
  const out = [...list];
  for (const r of more) {
    if (out.length >= MAX_RECIPIENTS) break;
    if (seen.has(key(r.address))) continue;
    seen.add(key(r.address));
    out.push(r);
  }
  return out;
}

/** Removes from `list` every address in `others` (To → Cc → Bcc: the first place wins, as on the server). */
export function withoutAddresses(list: readonly Recipient[], others: readonly Recipient[]): Recipient[] {
  const drop = new Set(others.map((r) => key(r.address)));
  return list.filter((r) => !drop.has(key(r.address)));
}

/** `홍길동 <hong@korea.kr>` for the chip's accessible name and the plain-text quote. */
export function formatRecipient(r: Recipient): string {
  return r.name ? `${r.name} <${r.address}>` : r.address;
}

/** The API's mailbox value. */
export function toMailbox(r: Recipient): { name: string | null; address: string } {
  return { name: r.name || null, address: r.address };
}

/** A mailbox as the API stores it in a draft: a string or { name, address }. */
export function fromMailbox(value: unknown): Recipient | null {
  if (typeof value === 'string') return parseOne(value);
  if (value && typeof value === 'object') {
    const v = value as { name?: unknown; address?: unknown };
    if (typeof v.address !== 'string' || !isAddress(v.address)) return null;
    return { name: typeof v.name === 'string' ? v.name : '', address: v.address };
  }
  return null;
}
