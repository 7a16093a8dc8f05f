import { fail } from '../util/fail.ts';
import { randomInt } from '../util/random.ts';

/** Entries in each status list we publish (2^20 ≈ 1 M; 256 KB raw at 2 bits). */
export const DEFAULT_STATUS_LIST_SIZE = 2 ** 20;

/**
 * Picks a random, unused index in [0, size): unpredictable (WebCrypto randomness), so an index
 * reveals nothing about issue order or about other holders. `isUsed` is the caller's view of
 * allocated indexes (a database lookup on the server). After `attempts` random picks it scans
 * from a random start; a full list throws ERR_MID_STATUS_LIST_FULL.
 */
export function allocateStatusIndex(
  isUsed: (idx: number) => boolean,
  size = DEFAULT_STATUS_LIST_SIZE,
  attempts = 64,
): number {
  for (let i = 0; i < attempts; i++) {
    const idx = randomInt(size);
    if (!isUsed(idx)) return idx;
  }
  const start = randomInt(size);
  for (let i = 0; i < size; i++) {
    const idx = (start + i) % size;
    if (!isUsed(idx)) return idx;
  }
  fail('ERR_MID_STATUS_LIST_FULL');
}

/** An in-memory allocator (tests, tools). The server keeps allocated indexes in its database. */
export class StatusIndexAllocator {
  readonly size: number;
  readonly #used = new Set<number>();

  constructor(size = DEFAULT_STATUS_LIST_SIZE, used: Iterable<number> = []) {
    this.size = size;
    for (const idx of used) this.#used.add(idx);
  }

  allocate(): number {
    const idx = allocateStatusIndex((i) => this.#used.has(i), this.size);
    this.#used.add(idx);
    return idx;
  }

  get allocated(): number {
    return this.#used.size;
  }
}
