/**
 * The two export formats, as streams:
 * - **mboxrd**: each message starts with a `From sender date` line; inside a message every line
 *   that matches `>*From ` gets one more `>` (so the quoting can be undone exactly); line ends are
 *   LF; a blank line ends each message.
 * - **zip of .eml files** in the folder tree (yazl, ZIP64 when needed, UTF-8 names): each message
 *   as its raw RFC 5322 bytes, under `<folder>/<subfolder>/<date> <subject> (<n>).eml`.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** asctime() in UTC, as the mbox `From ` line has it: `Mon Mar  2 01:00:00 2026`. */
export function asctime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(
    d.getUTCHours(),
  )}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The separator line that starts a message in an mbox (with its LF). */
export function mboxFromLine(sender: string | null | undefined, date: Date): string {
  const s = sender && /^[\x21-\x7e]{1,254}$/.test(sender) ? sender : 'MAILER-DAEMON';
  return `From ${s} ${asctime(date)}\n`;
}

const FROM_QUOTED = /^>*From /;

/**
 * mboxrd body escaping as a stream: CRLF → LF, `>*From ` lines get one more `>`, and the message
 * ends with exactly one LF followed by the blank separator line. Works across chunk boundaries
 * (keeps at most one partial line).
 */
export class MboxrdEscape extends Transform {
  #partial: Buffer = Buffer.alloc(0);
  #atLineStart = true;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.#partial.length ? Buffer.concat([this.#partial, chunk]) : chunk;
    this.#partial = Buffer.alloc(0);
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      let end = nl;
      if (end > start && buf[end - 1] === 0x0d) end--;
      out.push(this.#line(buf.subarray(start, end)), LF);
      start = nl + 1;
    }
    buf = buf.subarray(start);
    // A long line without LF: emit what cannot start "From " any more, keep a short tail.
    if (buf.length > 4096) {
      const keep = buf[buf.length - 1] === 0x0d ? 1 : 0;
      out.push(this.#line(buf.subarray(0, buf.length - keep)));
      this.#atLineStart = false;
      buf = buf.subarray(buf.length - keep);
    }
    this.#partial = Buffer.from(buf);
    if (out.length) this.push(Buffer.concat(out));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#partial.length) {
      let p = this.#partial;
      if (p[p.length - 1] === 0x0d) p = p.subarray(0, -1);
      this.push(this.#line(p));
      this.push(LF);
    }
    this.push(LF);
    done();
  }

  #line(line: Buffer): Buffer {
    const quote = this.#atLineStart && FROM_QUOTED.test(line.subarray(0, 4096).toString('latin1'));
    this.#atLineStart = true;
    return quote ? Buffer.concat([GT, line]) : line;
  }
}

const LF = Buffer.from('\n');
const GT = Buffer.from('>');

/** Reverses mboxrd quoting on one message's text (for tests and re-import). */
export function unescapeMboxrd(text: string): string {
  return text.replace(/^>(>*From )/gm, '$1');
}

/** Splits an mboxrd file into its messages (for tests): each without its From line and separator. */
export function splitMbox(text: string): { fromLine: string; body: string }[] {
  const out: { fromLine: string; body: string }[] = [];
  const parts = text.split(/\n(?=From )/);
  for (const [i, part] of parts.entries()) {
    const p = i === 0 ? part : part;
    if (!p.startsWith('From ')) continue;
    const nl = p.indexOf('\n');
    const body = p.slice(nl + 1).replace(/\n\n$/, '\n');
    out.push({ fromLine: p.slice(0, nl), body: unescapeMboxrd(body) });
  }
  return out;
}

/** A safe path segment for a zip entry: no separators, controls or reserved characters. */
export function zipSegment(name: string, max = 80): string {
  const cleaned = name
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing controls is the point
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .trim();
  const short = [...cleaned].slice(0, max).join('');
  return short === '' ? '_' : short;
}

/** The file name of one message in the zip: `2026-03-02 0100 subject (n).eml`. */
export function emlName(date: Date, subject: string, n: number): string {
  const iso = date.toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return `${stamp} ${zipSegment(subject || '(제목 없음)', 60)} (${n}).eml`;
}
