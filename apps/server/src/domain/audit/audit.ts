// The audit log: append-only (the database refuses UPDATE/DELETE/TRUNCATE with a trigger).
import type { AuditOutcome, AuditRow } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';

export interface AuditEntry {
  readonly at: Date;
  /** `admin:<id>`, `hr:<system>:<key id>`, `account:<id>`, `system:<job>` */
  readonly actor: string;
  /** dotted verb: `hr.person.create`, `session.revoke`, `person.retire` */
  readonly action: string;
  readonly target?: string | null;
  readonly outcome?: AuditOutcome;
  /** the GongjikError code of a refusal or failure */
  readonly code?: string | null;
  /** safe facts only: never secrets, codes, tokens or key material */
  readonly details?: Record<string, unknown>;
  readonly ip?: string | null;
}

/** Appends one entry. Call it with the transaction that makes the change, so both commit together. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome ?? 'success',
      code: entry.code ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

export interface AuditQuery {
  readonly action?: string;
  readonly actor?: string;
  readonly target?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: Date;
  readonly to?: Date;
  /** opaque, from a previous page's nextCursor */
  readonly cursor?: string;
  readonly limit?: number;
}

export interface AuditPage {
  readonly entries: AuditRow[];
  readonly nextCursor: string | null;
}

const encodeCursor = (id: number) => Buffer.from(`a:${id}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new GongjikError('ERR_INPUT_INVALID', { field: 'cursor' });
  return Number(m[1]);
}

/**
 * Newest first. `action` matches exactly or, ending in `.*`, by prefix (`hr.*`); `from` is
 * inclusive and `to` exclusive.
 */
export async function queryAudit(db: Db, q: AuditQuery): Promise<AuditPage> {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
  let query = db.selectFrom('audit_log').selectAll();
  if (q.action) {
    if (q.action.endsWith('.*')) {
      const prefix = q.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
      query = query.where('action', 'like', `${prefix}%`);
    } else {
      query = query.where('action', '=', q.action);
    }
  }
  if (q.actor) query = query.where('actor', '=', q.actor);
  if (q.target) query = query.where('target', '=', q.target);
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.cursor) query = query.where('id', '<', decodeCursor(q.cursor));
  const rows = await query
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const entries = rows.slice(0, limit);
  return { entries, nextCursor: rows.length > limit ? encodeCursor(entries.at(-1)!.id) : null };
}
