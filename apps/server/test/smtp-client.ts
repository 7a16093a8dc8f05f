// A minimal SMTP client for tests: sends exactly the bytes it is given (so tests can send bare LF)
// and reads replies, with STARTTLS.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export class SmtpClient {
  #socket: Socket;
  #buffer = '';
  #waiters: ((line: string) => void)[] = [];
  #lines: string[] = [];
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  #attach(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.#buffer += d;
      let i = this.#buffer.indexOf('\r\n');
      while (i >= 0) {
        const line = this.#buffer.slice(0, i);
        this.#buffer = this.#buffer.slice(i + 2);
        const w = this.#waiters.shift();
        if (w) w(line);
        else this.#lines.push(line);
        i = this.#buffer.indexOf('\r\n');
      }
    });
    socket.on('close', () => {
      this.#closed = true;
      for (const w of this.#waiters.splice(0)) w('closed');
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<{ client: SmtpClient; greeting: string }> {
    return new Promise((resolve, reject) => {
      const s = netConnect(port, host);
      s.once('error', reject);
      s.once('connect', async () => {
        const client = new SmtpClient(s);
        resolve({ client, greeting: await client.reply() });
      });
    });
  }

  #line(): Promise<string> {
    const l = this.#lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.#closed) return Promise.resolve('closed');
    return new Promise((r) => this.#waiters.push(r));
  }

  /** The next complete reply (multi-line replies joined with \n). */
  async reply(): Promise<string> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.#line();
      lines.push(l);
      if (l === 'closed' || /^\d{3} /.test(l) || !/^\d{3}-/.test(l)) return lines.join('\n');
    }
  }

  write(data: string | Buffer): void {
    this.#socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  async starttls(): Promise<string> {
    const r = await this.command('STARTTLS');
    if (!r.startsWith('220')) return r;
    const plain = this.#socket;
    plain.removeAllListeners('data');
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((res, rej) => {
      secure.once('secureConnect', () => res());
      secure.once('error', rej);
    });
    this.#socket = secure;
    this.#attach(secure);
    return r;
  }

  get encrypted(): boolean {
    return 'encrypted' in this.#socket;
  }

  /** MAIL, RCPTs, DATA and the message (dot-stuffed, CRLF. CRLF added); returns the final reply. */
  async send(from: string, to: string[], message: string | Buffer): Promise<string> {
    const m = await this.command(`MAIL FROM:<${from}>`);
    if (!m.startsWith('250')) return m;
    let accepted = 0;
    let last = '';
    for (const r of to) {
      last = await this.command(`RCPT TO:<${r}>`);
      if (last.startsWith('250')) accepted++;
    }
    if (accepted === 0) {
      await this.command('RSET');
      return last;
    }
    const d = await this.command('DATA');
    if (!d.startsWith('354')) return d;
    const body = Buffer.isBuffer(message) ? message : Buffer.from(message, 'utf8');
    this.write(Buffer.concat([dotStuff(body), Buffer.from('\r\n.\r\n')]));
    return this.reply();
  }

  async quit(): Promise<void> {
    if (!this.#closed) await this.command('QUIT').catch(() => {});
    this.#socket.destroy();
  }
}

function dotStuff(body: Buffer): Buffer {
  const s = body.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
  const trimmed = s.endsWith('\r\n') ? s.slice(0, -2) : s;
  return Buffer.from(trimmed, 'latin1');
}

/** A small RFC 5322 message with CRLF line endings. */
export function testMessage(
  o: { from?: string; to?: string; subject?: string; body?: string; messageId?: string } = {},
): string {
  const subject = o.subject ?? '3월 정기회의 안내';
  return [
    `From: 홍길동 <${o.from ?? 'hong@example.org'}>`,
    `To: <${o.to ?? 'kim@korea.kr'}>`,
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Message-ID: <${o.messageId ?? `${Math.random().toString(36).slice(2)}@example.org`}>`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0900',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.body ?? '다음 주 회의는 오전 10시입니다.',
    '',
  ].join('\r\n');
}
