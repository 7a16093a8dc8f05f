// A lean HTTP/1.1 keep-alive client for load generation: one socket, one request at a time, the
// request written in one piece, the response read by Content-Length. It does what wrk-style load
// generators do, so that the clients, which share the machine's two cores with the server and
// PostgreSQL, spend their CPU on the work a real client does (signing), not on node:http's machinery.
// Not a general client: no chunked bodies, no redirects, no pipelining.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** the raw header block (lower-case checks only: e.g. includes('\r\nset-cookie:')) */
  readonly head: string;
  readonly body: string;
}

export class RawHttpConnection {
  #socket: Socket | null = null;
  #buf: Buffer = Buffer.alloc(0);
  #pending: { resolve(r: RawResponse): void; reject(e: Error): void } | null = null;

  readonly host: string;
  readonly port: number;

  constructor(host: string, port: number) {
    this.host = host;
    this.port = port;
  }

  #open(): Socket {
    const s = connect({ host: this.host, port: this.port, noDelay: true });
    s.on('data', (d: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : d;
      this.#parse();
    });
    const fail = (e: Error) => {
      this.#socket = null;
      this.#buf = Buffer.alloc(0);
      const p = this.#pending;
      this.#pending = null;
      p?.reject(e);
    };
    s.on('error', fail);
    s.on('close', () => fail(new Error('connection closed')));
    this.#socket = s;
    return s;
  }

  #parse(): void {
    const p = this.#pending;
    if (!p) return;
    const end = this.#buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.#buf.toString('latin1', 0, end).toLowerCase();
    const m = /\r\ncontent-length:\s*(\d+)/.exec(head);
    if (!m) {
      this.#pending = null;
      p.reject(new Error(`response without content-length: ${head.slice(0, 200)}`));
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (this.#buf.length < total) return;
    const body = this.#buf.toString('utf8', end + 4, total);
    this.#buf = this.#buf.subarray(total);
    this.#pending = null;
    p.resolve({ status: Number(head.slice(9, 12)), head, body });
  }

  /** POSTs a JSON body and resolves with the response. */
  postJson(path: string, body: string): Promise<RawResponse> {
    const s = this.#socket ?? this.#open();
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      s.write(
        `POST ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }
}
