// Korean full-text search over one account's messages: the bigram tsvector of search-text.ts in
// mail_entries.search_vector (GIN), scoped to the account by its scope term, with filters and
// keyset pages, newest first or by relevance.
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import type { Db } from '../../db.ts';
import { parseSearchQuery, scopeTerm } from '../search-text.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import { folderRow } from './folders.ts';
import { type MessageSummary, type Page, summaryColumns, toSummary } from './messages.ts';

export interface SearchOptions {
  readonly q: string;
  readonly folderId?: string;
  /** received at or after */
  readonly from?: Date;
  /** received before */
  readonly to?: Date;
  readonly hasAttachments?: boolean;
  readonly unreadOnly?: boolean;
  /** 'date' (default): newest first; 'relevance': ts_rank over the newest RELEVANCE_WINDOW matches */
  readonly order?: 'date' | 'relevance';
  readonly cursor?: string | null;
  readonly limit?: number;
}

/** How many of the newest matches relevance ordering ranks (ranking reads every row it ranks). */
export const RELEVANCE_WINDOW = 1000;

/**
 * Searches the account's mail. `회의` finds `회의는`, `정기회의`, `회의록`; words match by prefix.
 * An empty query (nothing searchable) gives an empty page.
 */
export async function searchMessages(
  db: Db,
  accountId: string,
  options: SearchOptions,
): Promise<Page<MessageSummary & { rank?: number }>> {
  const query = parseSearchQuery(options.q, { scope: [scopeTerm('account', accountId)] });
  const limit = pageLimit(options.limit);
  if (query === null) return { items: [], nextCursor: null };
  if (options.folderId !== undefined) await folderRow(db, accountId, options.folderId);
  for (const d of [options.from, options.to])
    if (d !== undefined && Number.isNaN(d.getTime()))
      throw new GongjikError('ERR_INPUT_INVALID', { field: 'date' });
  const after = decodeCursor(options.cursor);
  const tsq = sql`${query.tsquery}::tsquery`;

  let q = db
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select(summaryColumns)
    .where(sql<boolean>`e.search_vector @@ ${tsq}`)
    .where('e.account_id', '=', accountId);
  if (options.folderId !== undefined) q = q.where('e.folder_id', '=', options.folderId);
  if (options.from) q = q.where('e.received_at', '>=', options.from);
  if (options.to) q = q.where('e.received_at', '<', options.to);
  if (options.hasAttachments !== undefined) q = q.where('e.has_attachments', '=', options.hasAttachments);
  if (options.unreadOnly) q = q.where('e.seen', '=', false);

  if (options.order !== 'relevance') {
    if (after) q = q.where(sql<boolean>`(e.received_at, e.id) < (${after.at}, ${after.id}::uuid)`);
    const rows = await q
      .orderBy('e.received_at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.map(toSummary);
    const more = items.length > limit;
    const shown = more ? items.slice(0, limit) : items;
    const last = shown.at(-1);
    return {
      items: shown,
      nextCursor: more && last ? encodeCursor({ at: last.receivedAt, id: last.id }) : null,
    };
  }

  // Relevance: rank the newest RELEVANCE_WINDOW matches, then page by (rank, received_at, id).
  const candidates = q
    .select(sql<number>`ts_rank(e.search_vector, ${tsq})`.as('rank'))
    .orderBy('e.received_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(RELEVANCE_WINDOW);
  let outer = db.selectFrom(candidates.as('c')).selectAll();
  if (after) {
    if (after.rank === undefined) throw new GongjikError('ERR_MAIL_CURSOR_INVALID');
    outer = outer.where(
      sql<boolean>`(c.rank, c.received_at, c.id) < (${after.rank}::real, ${after.at}, ${after.id}::uuid)`,
    );
  }
  const rows = await outer
    .orderBy('c.rank', 'desc')
    .orderBy('c.received_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.map((r) => ({ ...toSummary(r), rank: Number(r.rank) }));
  const more = items.length > limit;
  const shown = more ? items.slice(0, limit) : items;
  const last = shown.at(-1);
  return {
    items: shown,
    nextCursor: more && last ? encodeCursor({ at: last.receivedAt, id: last.id, rank: last.rank }) : null,
  };
}
