// Token Status Lists: entries are the cards' states (mid_cards), allocated at random indexes; the
// signed statuslist+jwt is cached in mid_status_lists and re-signed when an entry changed
// (version) or when the cached token is older than its ttl.

import type { MidCardState } from '@gongjik/db';
import {
  allocateStatusIndex,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  StatusList,
  signStatusListToken,
} from '@gongjik/mobile-id';
import { sql } from 'kysely';
import { type Db, inTransaction } from '../db.ts';
import { getIssuerKeyring } from './keys.ts';

/** A list takes new cards until half of it is used: random picks stay cheap and unpredictable. */
const FILL_LIMIT = 0.5;
const RANDOM_TRIES = 32;

export function statusListUri(issuer: string, listId: number): string {
  return `${issuer}/api/v1/mid/status/${listId}`;
}

/** The status value a card state publishes. */
export function statusValueOf(state: MidCardState): number {
  if (state === 'active') return 0;
  if (state === 'suspended') return STATUS_SUSPENDED;
  return STATUS_INVALID;
}

/**
 * Reserves a random, unused index in the current list (creating a list when none has room). Call
 * it in the transaction that inserts the card: the list row is locked until then, so concurrent
 * issuances take turns, and the (list, idx) unique key is the last word.
 */
export async function allocateStatusEntry(
  trx: Db,
  size: number,
  now: Date,
): Promise<{ listId: number; idx: number }> {
  let list = await trx
    .selectFrom('mid_status_lists')
    .selectAll()
    .where('closed_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (!list) {
    await sql`select pg_advisory_xact_lock(hashtext('gongjik.mid_status_lists'))`.execute(trx);
    const last = await trx
      .selectFrom('mid_status_lists')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    list = await trx
      .insertInto('mid_status_lists')
      .values({ id: Number(last?.id ?? 0) + 1, size, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const isTaken = async (idx: number) =>
    (await trx
      .selectFrom('mid_cards')
      .select('id')
      .where('status_list_id', '=', list.id)
      .where('status_idx', '=', idx)
      .executeTakeFirst()) !== undefined;
  let idx: number | undefined;
  for (let i = 0; i < RANDOM_TRIES && idx === undefined; i++) {
    const pick = allocateStatusIndex(() => false, list.size, 1);
    if (!(await isTaken(pick))) idx = pick;
  }
  if (idx === undefined) {
    // Practically unreachable below the fill limit; fall back to the package's full scan.
    const used = new Set(
      (
        await trx.selectFrom('mid_cards').select('status_idx').where('status_list_id', '=', list.id).execute()
      ).map((r) => r.status_idx),
    );
    idx = allocateStatusIndex((i) => used.has(i), list.size);
  }
  const allocated = list.allocated + 1;
  await trx
    .updateTable('mid_status_lists')
    .set({ allocated, ...(allocated >= list.size * FILL_LIMIT ? { closed_at: now } : {}) })
    .where('id', '=', list.id)
    .execute();
  return { listId: list.id, idx };
}

/** Marks the list changed (same transaction as the card's state change). */
export async function touchStatusList(trx: Db, listId: number): Promise<void> {
  await trx
    .updateTable('mid_status_lists')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', listId)
    .execute();
}

export interface PublishedStatusList {
  readonly token: string;
  readonly version: number;
  readonly iat: Date;
  readonly ttlSeconds: number;
}

/**
 * The current signed status list token of `listId` (undefined for an unknown list). Re-signs when
 * an entry changed since the cached token, or the cached token is older than the ttl.
 */
export async function publishStatusList(
  db: Db,
  listId: number,
  settings: { issuer: string; statusTtlSeconds: number; statusValidSeconds: number },
  now: Date,
): Promise<PublishedStatusList | undefined> {
  const row = await db.selectFrom('mid_status_lists').selectAll().where('id', '=', listId).executeTakeFirst();
  if (!row) return undefined;
  const ttl = settings.statusTtlSeconds;
  const fresh =
    row.token !== null &&
    row.token_iat !== null &&
    Number(row.token_version) === Number(row.version) &&
    now.getTime() >= row.token_iat.getTime() &&
    now.getTime() - row.token_iat.getTime() < ttl * 1000;
  if (fresh) return { token: row.token!, version: Number(row.version), iat: row.token_iat!, ttlSeconds: ttl };

  const ring = await getIssuerKeyring(db, now);
  return inTransaction(db, async (trx) => {
    // Read the entries and the version together (the version is bumped with every change).
    const current = await trx
      .selectFrom('mid_status_lists')
      .select(['version', 'size'])
      .where('id', '=', listId)
      .forShare()
      .executeTakeFirstOrThrow();
    const entries = await trx
      .selectFrom('mid_cards')
      .select(['status_idx', 'state'])
      .where('status_list_id', '=', listId)
      .where('state', '<>', 'active')
      .execute();
    const list = new StatusList(current.size, 2);
    for (const e of entries) list.set(e.status_idx, statusValueOf(e.state));
    const token = await signStatusListToken({
      list,
      uri: statusListUri(settings.issuer, listId),
      issuer: settings.issuer,
      issuerKey: ring.active,
      now,
      ttlSeconds: ttl,
      validSeconds: settings.statusValidSeconds,
    });
    const version = Number(current.version);
    await trx
      .updateTable('mid_status_lists')
      .set({ token, token_version: version, token_iat: now })
      .where('id', '=', listId)
      .execute();
    return { token, version, iat: now, ttlSeconds: ttl };
  });
}

/** An overview for administrators: each list with its entry counts by state. */
export async function statusListOverview(db: Db) {
  const lists = await db
    .selectFrom('mid_status_lists')
    .select(['id', 'size', 'allocated', 'version', 'created_at', 'closed_at'])
    .orderBy('id')
    .execute();
  const counts = await db
    .selectFrom('mid_cards')
    .select(['status_list_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['status_list_id', 'state'])
    .execute();
  return lists.map((l) => {
    const byState: Record<string, number> = { active: 0, suspended: 0, locked: 0, revoked: 0 };
    for (const c of counts) if (c.status_list_id === l.id) byState[c.state] = Number(c.n);
    return {
      id: l.id,
      size: l.size,
      allocated: l.allocated,
      version: Number(l.version),
      createdAt: l.created_at.toISOString(),
      closedAt: l.closed_at?.toISOString() ?? null,
      cards: byState,
    };
  });
}
