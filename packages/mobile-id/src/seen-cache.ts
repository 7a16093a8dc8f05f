/**
 * Remembers single-use values (nonces) until they expire. A gate keeps one per process; the server
 * keeps nonces in PostgreSQL behind the same interface.
 */
export interface SeenCache {
  /** True when `key` was added and has not expired at `nowSeconds`. */
  has(key: string, nowSeconds: number): boolean;
  /** Remembers `key` until `expiresAt` (seconds since the epoch). */
  add(key: string, expiresAt: number): void;
}

/** An in-memory SeenCache with a size bound: expired entries are pruned; when full, the oldest go. */
export class MemorySeenCache implements SeenCache {
  readonly maxEntries: number;
  readonly #entries = new Map<string, number>();

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  has(key: string, nowSeconds: number): boolean {
    const exp = this.#entries.get(key);
    if (exp === undefined) return false;
    if (exp <= nowSeconds) {
      this.#entries.delete(key);
      return false;
    }
    return true;
  }

  add(key: string, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, expiresAt);
    if (this.#entries.size > this.maxEntries) this.prune(Number.NEGATIVE_INFINITY);
  }

  /** Drops entries expired at `nowSeconds`; if still over the bound, drops the oldest additions. */
  prune(nowSeconds: number): void {
    for (const [k, exp] of this.#entries) if (exp <= nowSeconds) this.#entries.delete(k);
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(k);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
