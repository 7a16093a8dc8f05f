import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';

/** Where a credential's status lives: entry `idx` of the status list published at `uri`. */
export interface StatusReference {
  idx: number;
  uri: string;
}

/** Reads the `status` claim `{ status_list: { idx, uri } }` of a credential. */
export function readStatusClaim(status: unknown): StatusReference {
  ensure(isObject(status) && isObject(status.status_list), 'status');
  const { idx, uri } = status.status_list;
  ensure(typeof idx === 'number' && Number.isSafeInteger(idx) && idx >= 0, 'status idx');
  ensure(typeof uri === 'string' && uri.length > 0 && uri.length <= 2048, 'status uri');
  return { idx, uri };
}
