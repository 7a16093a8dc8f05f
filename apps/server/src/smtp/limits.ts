// Per-IP limits for inbound SMTP: concurrent connections, and messages per minute (token bucket).
// In memory, per process; bounded in the number of addresses it remembers.
const MAX_TRACKED = 100_000;

export interface IpLimitsOptions {
  readonly maxConnectionsPerIp: number;
  readonly messagesPerMinutePerIp: number;
  /** milliseconds; injected for tests */
  readonly now?: () => number;
}

interface Entry {
  connections: number;
  tokens: number;
  at: number;
}

export class IpLimits {
  readonly #opts: IpLimitsOptions;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: IpLimitsOptions) {
    this.#opts = options;
    this.#now = options.now ?? Date.now;
  }

  #entry(ip: string): Entry {
    let e = this.#entries.get(ip);
    if (!e) {
      if (this.#entries.size >= MAX_TRACKED) this.#prune();
      e = { connections: 0, tokens: this.#opts.messagesPerMinutePerIp, at: this.#now() };
      this.#entries.set(ip, e);
    }
    return e;
  }

  #refill(e: Entry): void {
    const t = this.#now();
    const rate = this.#opts.messagesPerMinutePerIp / 60_000;
    e.tokens = Math.min(this.#opts.messagesPerMinutePerIp, e.tokens + (t - e.at) * rate);
    e.at = t;
  }

  #prune(): void {
    for (const [ip, e] of this.#entries) {
      this.#refill(e);
      if (e.connections === 0 && e.tokens >= this.#opts.messagesPerMinutePerIp) this.#entries.delete(ip);
    }
    // Still full (an attack from very many addresses): forget the oldest idle ones.
    for (const [ip, e] of this.#entries) {
      if (this.#entries.size < MAX_TRACKED * 0.9) break;
      if (e.connections === 0) this.#entries.delete(ip);
    }
  }

  /** Counts a new connection; false when the address already has the maximum open. */
  openConnection(ip: string): boolean {
    const e = this.#entry(ip);
    if (e.connections >= this.#opts.maxConnectionsPerIp) return false;
    e.connections++;
    return true;
  }

  closeConnection(ip: string): void {
    const e = this.#entries.get(ip);
    if (e && e.connections > 0) e.connections--;
  }

  /** Takes one message token; false when the address sent too many messages lately. */
  takeMessage(ip: string): boolean {
    const e = this.#entry(ip);
    this.#refill(e);
    if (e.tokens < 1) return false;
    e.tokens -= 1;
    return true;
  }
}
