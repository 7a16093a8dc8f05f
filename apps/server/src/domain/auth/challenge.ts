// Login and registration challenges (docs/auth-protocol.md): a random 32-byte nonce bound to the
// server's public origin and to a purpose, valid 2 minutes, answered at most once. Answering
// consumes the challenge with one atomic UPDATE … WHERE used_at IS NULL RETURNING, so two
// concurrent answers cannot both win.
import { randomBytes } from 'node:crypto';
import type { ChallengePurpose } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import type { Db } from '../db.ts';

export const CHALLENGE_PURPOSES = ['login', 'register'] as const satisfies readonly ChallengePurpose[];

export interface IssuedChallenge {
  readonly challengeId: string;
  /** base64url of 32 random bytes */
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: ChallengePurpose;
  readonly expiresAt: string;
}

export interface ChallengeRecord {
  readonly id: string;
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: ChallengePurpose;
  readonly expiresAt: Date;
}

/** What the client signs: `gongjik-login:v1\n<origin>\n<challengeId>\n<nonce>` in UTF-8. */
export function challengeMessage(c: { origin: string; challengeId: string; nonce: string }): Uint8Array {
  return new TextEncoder().encode(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Issues a challenge for `purpose`, bound to `origin` (the server's public origin). */
export async function issueChallenge(
  db: Db,
  input: { purpose: ChallengePurpose; origin: string; now: Date; ttlMs: number },
): Promise<IssuedChallenge> {
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  // A challenge is ephemeral: its row is committed without waiting for the WAL flush
  // (synchronous_commit off for this statement only). Losing one in a crash only means "try again";
  // its consumption is flushed with the durable commit that follows it (the session or the audit).
  const r = await sql<{ id: string }>`
    insert into auth_challenges (nonce, origin, purpose, created_at, expires_at)
    select ${nonce}, ${input.origin}, ${input.purpose}, ${input.now}::timestamptz, ${expiresAt}::timestamptz
    from (select set_config('synchronous_commit', 'off', true)) as async_commit
    returning id`.execute(db);
  const row = r.rows[0]!;
  return {
    challengeId: row.id,
    nonce,
    origin: input.origin,
    purpose: input.purpose,
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * The SQL that consumes a challenge: sets used_at only when still unused, returning the record.
 * Exposed so a caller may put it in a CTE with its own next step (one round trip).
 */
export function consumeChallengeQuery(db: Db, challengeId: string, now: Date) {
  return db
    .updateTable('auth_challenges')
    .set({ used_at: now })
    .where('id', '=', challengeId)
    .where('used_at', 'is', null)
    .returning(['id', 'nonce', 'origin', 'purpose', 'expires_at']);
}

/** Why a consumed (or not consumed) challenge is refused; null when it may be used. */
export function challengeRefusal(
  row: { origin: string; purpose: ChallengePurpose; expires_at: Date } | undefined,
  expected: { purpose: ChallengePurpose; origin: string; now: Date },
): GongjikError | null {
  if (!row) return null;
  if (row.expires_at.getTime() <= expected.now.getTime())
    return new GongjikError('ERR_AUTH_CHALLENGE_EXPIRED');
  if (row.purpose !== expected.purpose)
    return new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'purpose' });
  if (row.origin !== expected.origin)
    return new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'origin' });
  return null;
}

/**
 * Tells an unknown challenge (ERR_AUTH_CHALLENGE_INVALID) from one already answered
 * (ERR_AUTH_CHALLENGE_REPLAYED), after the consuming UPDATE found nothing to update.
 */
export async function missingChallengeError(db: Db, challengeId: string): Promise<GongjikError> {
  if (!UUID.test(challengeId)) return new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'unknown' });
  const used = await db
    .selectFrom('auth_challenges')
    .select('id')
    .where('id', '=', challengeId)
    .executeTakeFirst();
  return used
    ? new GongjikError('ERR_AUTH_CHALLENGE_REPLAYED')
    : new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'unknown' });
}

/**
 * Consumes a challenge for `purpose` at `origin`: exactly one caller gets it. Refusals:
 * ERR_AUTH_CHALLENGE_INVALID (unknown, other purpose, other origin), ERR_AUTH_CHALLENGE_EXPIRED,
 * ERR_AUTH_CHALLENGE_REPLAYED (already answered). A refused challenge stays used.
 */
export async function consumeChallenge(
  db: Db,
  input: { challengeId: string; purpose: ChallengePurpose; origin: string; now: Date },
): Promise<ChallengeRecord> {
  if (!UUID.test(input.challengeId))
    throw new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'unknown' });
  const row = await consumeChallengeQuery(db, input.challengeId, input.now).executeTakeFirst();
  if (!row) throw await missingChallengeError(db, input.challengeId);
  const refusal = challengeRefusal(row, input);
  if (refusal) throw refusal;
  return {
    id: row.id,
    nonce: row.nonce,
    origin: row.origin,
    purpose: row.purpose,
    expiresAt: row.expires_at,
  };
}

export function isChallengeId(id: string): boolean {
  return UUID.test(id);
}

/** Deletes challenges that expired more than `olderThanMs` ago (housekeeping). */
export async function pruneChallenges(db: Db, now: Date, olderThanMs = 3_600_000): Promise<number> {
  const r = await db
    .deleteFrom('auth_challenges')
    .where('expires_at', '<', new Date(now.getTime() - olderThanMs))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
