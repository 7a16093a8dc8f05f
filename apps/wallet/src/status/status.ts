// The card's live status: the wallet fetches the Token Status List its credential points to,
// verifies the issuer's signature, and reads its own entry. The result is kept with the time it was
// checked, so the card screen shows the last known status (and when) while offline.
import {
  type FetchLike,
  type IssuerJwks,
  readStatusClaim,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  verifyStatusListToken,
} from '@gongjik/mobile-id';

export type CardState = 'valid' | 'suspended' | 'invalid';

/** What the wallet last learnt about its card. */
export interface KnownStatus {
  readonly state: CardState;
  /** When it was read from a verified list (epoch ms). */
  readonly checkedAt: number;
}

/** Maps a 2-bit entry to the card state; anything but VALID/SUSPENDED counts as INVALID. */
export function stateOf(value: number): CardState {
  if (value === STATUS_VALID) return 'valid';
  if (value === STATUS_SUSPENDED) return 'suspended';
  return value === STATUS_INVALID ? 'invalid' : 'invalid';
}

const MAX_LIST_CHARS = 1_000_000;

/**
 * Fetches and verifies the status list of `statusClaim` and returns the card's state. Throws on a
 * network failure or a list that does not verify (the caller keeps the last known status).
 */
export async function fetchCardStatus(input: {
  readonly statusClaim: unknown;
  readonly issuerKeys: IssuerJwks;
  readonly fetch: FetchLike;
  readonly now: Date;
}): Promise<KnownStatus> {
  const ref = readStatusClaim(input.statusClaim);
  const res = await input.fetch(ref.uri, {
    headers: { accept: 'application/statuslist+jwt' },
    cache: 'no-store',
    redirect: 'error',
  });
  if (!res.ok) throw new Error(`status list: HTTP ${res.status}`);
  const token = (await res.text()).trim();
  if (token.length > MAX_LIST_CHARS) throw new Error('status list: too large');
  const verified = await verifyStatusListToken(token, {
    issuerKeys: input.issuerKeys,
    uri: ref.uri,
    now: input.now,
  });
  if (ref.idx >= verified.list.size) return { state: 'invalid', checkedAt: input.now.getTime() };
  return { state: stateOf(verified.list.get(ref.idx)), checkedAt: input.now.getTime() };
}
