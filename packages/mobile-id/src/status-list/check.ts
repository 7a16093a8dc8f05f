import { fail } from '../util/fail.ts';
import { readStatusClaim, type StatusReference } from './reference.ts';
import { STATUS_SUSPENDED, STATUS_VALID } from './status-list.ts';
import type { VerifiedStatusList } from './token.ts';

/** Cached, verified status lists a verifier consults (one per published URI). */
export type StatusListSource = VerifiedStatusList | readonly VerifiedStatusList[];

/**
 * Checks a credential's `status` claim against cached lists. Returns the reference when the entry
 * is VALID; throws ERR_MID_STATUS_SUSPENDED, ERR_MID_STATUS_INVALID (INVALID and any other non-zero
 * value), ERR_MID_STATUS_UNKNOWN (no list for the URI, index outside it) or ERR_MID_STATUS_LIST_STALE
 * (the cached list is past its `exp`).
 */
export function checkStatus(
  statusClaim: unknown,
  source: StatusListSource,
  nowSeconds: number,
): StatusReference {
  const ref = readStatusClaim(statusClaim);
  const lists: readonly VerifiedStatusList[] = Array.isArray(source)
    ? source
    : [source as VerifiedStatusList];
  const found = lists.find((l) => l.uri === ref.uri);
  if (!found) fail('ERR_MID_STATUS_UNKNOWN');
  if (found.exp <= nowSeconds) fail('ERR_MID_STATUS_LIST_STALE');
  if (ref.idx >= found.list.size) fail('ERR_MID_STATUS_UNKNOWN');
  const value = found.list.get(ref.idx);
  if (value === STATUS_VALID) return ref;
  if (value === STATUS_SUSPENDED) fail('ERR_MID_STATUS_SUSPENDED');
  fail('ERR_MID_STATUS_INVALID');
}
