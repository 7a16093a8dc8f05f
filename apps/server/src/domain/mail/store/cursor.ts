// Opaque keyset cursors: (received_at, id) of the last row of a page, base64url-encoded.
import { GongjikError } from '@gongjik/errors';
import { isUuid } from './folders.ts';

export interface Keyset {
  readonly at: Date;
  readonly id: string;
  /** relevance-ordered search pages carry the rank too */
  readonly rank?: number;
}

export function encodeCursor(k: Keyset): string {
  const parts = [k.at.toISOString(), k.id];
  if (k.rank !== undefined) parts.push(String(k.rank));
  return Buffer.from(parts.join('|'), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): Keyset | null {
  if (cursor == null || cursor === '') return null;
  if (typeof cursor !== 'string' || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw new GongjikError('ERR_MAIL_CURSOR_INVALID');
  const [at, id, rank, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (extra !== undefined || Number.isNaN(date.getTime()) || !isUuid(id))
    throw new GongjikError('ERR_MAIL_CURSOR_INVALID');
  if (rank === undefined) return { at: date, id };
  const r = Number(rank);
  if (!Number.isFinite(r)) throw new GongjikError('ERR_MAIL_CURSOR_INVALID');
  return { at: date, id, rank: r };
}

/** Page size: default 50, at most 200. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isInteger(limit) || limit < 1) throw new GongjikError('ERR_INPUT_INVALID', { field: 'limit' });
  return Math.min(limit, 200);
}
