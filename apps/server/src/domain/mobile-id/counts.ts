// The administrator's status overview: how many requests and cards are in each state.
import type { Db } from '../db.ts';

export const REQUEST_STATE_NAMES = [
  'requested',
  'approved',
  'rejected',
  'offered',
  'issued',
  'expired',
  'cancelled',
] as const;
export const CARD_STATE_NAMES = ['active', 'suspended', 'locked', 'revoked'] as const;

export async function midCounts(db: Db): Promise<{
  requests: Record<(typeof REQUEST_STATE_NAMES)[number], number>;
  cards: Record<(typeof CARD_STATE_NAMES)[number], number>;
}> {
  const req = await db
    .selectFrom('mid_requests')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const cards = await db
    .selectFrom('mid_cards')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const requests = Object.fromEntries(REQUEST_STATE_NAMES.map((s) => [s, 0])) as Record<
    (typeof REQUEST_STATE_NAMES)[number],
    number
  >;
  for (const r of req) requests[r.state] = Number(r.n);
  const byCard = Object.fromEntries(CARD_STATE_NAMES.map((s) => [s, 0])) as Record<
    (typeof CARD_STATE_NAMES)[number],
    number
  >;
  for (const c of cards) byCard[c.state] = Number(c.n);
  return { requests, cards: byCard };
}
