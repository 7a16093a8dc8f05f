// Idempotency-Key support for the HR API: the first request with a key runs and its response is
// stored in the same transaction as the change; a repeat with the same key and the same request
// gets the stored response; the same key with a different request is refused.
import { createHash } from 'node:crypto';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import type { Db } from '../db.ts';

export interface IdempotentResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** A stable hash of what makes two requests "the same": method, path and canonical JSON body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Runs `fn` once per (API key, Idempotency-Key). Concurrent duplicates wait on the row lock of the
 * first and then replay its response. `redact` shapes what is stored (secrets must not be kept: a
 * replay of a sign-up code issue says `replayed: true` without the code).
 */
export async function withIdempotency(
  db: Db,
  scope: { apiKeyId: string; key: string; requestHash: string; now: Date },
  fn: (trx: Db) => Promise<IdempotentResponse>,
  redact: (body: Record<string, unknown>) => Record<string, unknown> = (b) => b,
): Promise<IdempotentResponse & { replayed: boolean }> {
  return db.transaction().execute(async (trx) => {
    // Claim the key. A concurrent claimer blocks here until we commit, then sees our row.
    const claimed = await sql<{ claimed: boolean }>`
      insert into hr_idempotency (api_key_id, idempotency_key, request_hash, status, response, created_at)
      values (${scope.apiKeyId}, ${scope.key}, ${scope.requestHash}, 0, '{}'::jsonb, ${scope.now})
      on conflict do nothing
      returning true as claimed`.execute(trx);
    if (claimed.rows.length === 0) {
      const prior = await trx
        .selectFrom('hr_idempotency')
        .selectAll()
        .where('api_key_id', '=', scope.apiKeyId)
        .where('idempotency_key', '=', scope.key)
        .executeTakeFirstOrThrow();
      if (prior.request_hash !== scope.requestHash) throw new GongjikError('ERR_HR_IDEMPOTENCY_KEY_REUSED');
      return { status: prior.status, body: prior.response, replayed: true };
    }
    const result = await fn(trx);
    await trx
      .updateTable('hr_idempotency')
      .set({ status: result.status, response: JSON.stringify(redact(result.body)) })
      .where('api_key_id', '=', scope.apiKeyId)
      .where('idempotency_key', '=', scope.key)
      .execute();
    return { ...result, replayed: false };
  });
}

/** Forgets idempotency records older than `before` (run by the housekeeping timer). */
export async function pruneIdempotency(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('hr_idempotency').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
