import { b64u, fromB64u } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { deflateZlib, inflateZlib } from './zlib.ts';

/** Status values of the IETF Token Status List (2 bits per entry here). */
export const STATUS_VALID = 0;
export const STATUS_INVALID = 1;
export const STATUS_SUSPENDED = 2;

export type StatusBits = 1 | 2 | 4 | 8;

/** The most entries a list may hold (2^24); lists we publish use 2^20. */
export const MAX_STATUS_LIST_ENTRIES = 2 ** 24;

/**
 * A Token Status List: `size` entries of `bits` bits, packed least-significant-bit first within each
 * byte (entry i sits at bit `(i * bits) % 8` of byte `floor(i * bits / 8)`), as the draft specifies.
 */
export class StatusList {
  readonly bits: StatusBits;
  readonly size: number;
  readonly bytes: Uint8Array<ArrayBuffer>;

  constructor(size: number, bits: StatusBits = 2, bytes?: Uint8Array<ArrayBuffer>) {
    if (![1, 2, 4, 8].includes(bits)) throw new RangeError('bits');
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_STATUS_LIST_ENTRIES)
      throw new RangeError('size');
    const length = Math.ceil((size * bits) / 8);
    if (bytes && bytes.length !== length) throw new RangeError('bytes');
    this.bits = bits;
    this.size = size;
    this.bytes = bytes ?? new Uint8Array(length);
  }

  get(idx: number): number {
    this.check(idx);
    const bit = idx * this.bits;
    const mask = (1 << this.bits) - 1;
    return (this.bytes[bit >> 3]! >> (bit & 7)) & mask;
  }

  set(idx: number, value: number): void {
    this.check(idx);
    const mask = (1 << this.bits) - 1;
    if (!Number.isInteger(value) || value < 0 || value > mask) throw new RangeError('value');
    const bit = idx * this.bits;
    const shift = bit & 7;
    const byte = bit >> 3;
    this.bytes[byte] = (this.bytes[byte]! & ~(mask << shift)) | (value << shift);
  }

  /** The `lst` value: base64url of the ZLIB/DEFLATE-compressed bytes. */
  async compress(): Promise<string> {
    return b64u(await deflateZlib(this.bytes));
  }

  /** The `status_list` claim of a status list token. */
  async toClaim(): Promise<{ bits: StatusBits; lst: string }> {
    return { bits: this.bits, lst: await this.compress() };
  }

  /**
   * Reads a `status_list` claim. The inflated size is bounded by `maxEntries` (default
   * {@link MAX_STATUS_LIST_ENTRIES}) so a small token cannot expand into a huge allocation.
   */
  static async fromClaim(claim: unknown, maxEntries = MAX_STATUS_LIST_ENTRIES): Promise<StatusList> {
    ensure(typeof claim === 'object' && claim !== null, 'status_list');
    const { bits, lst } = claim as { bits?: unknown; lst?: unknown };
    ensure(bits === 1 || bits === 2 || bits === 4 || bits === 8, 'status_list bits');
    ensure(typeof lst === 'string', 'status_list lst');
    const maxBytes = Math.ceil((maxEntries * bits) / 8);
    const bytes = await inflateZlib(fromB64u(lst, 'status_list lst'), maxBytes);
    ensure(bytes.length > 0, 'status_list lst');
    return new StatusList((bytes.length * 8) / bits, bits, bytes);
  }

  private check(idx: number): void {
    if (!Number.isSafeInteger(idx) || idx < 0 || idx >= this.size) throw new RangeError('idx');
  }
}
