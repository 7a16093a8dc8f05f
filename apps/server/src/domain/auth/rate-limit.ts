// Rate limits on failed certificate logins, per account and per IP, in a sliding window. The
// failures live in the database (auth_failures) so every server process sees the same counts.
import type { AuthFailureScope } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';

export interface RateLimitPolicy {
  readonly windowMs: number;
  readonly maxPerAccount: number;
  readonly maxPerIp: number;
}

export interface FailureCounts {
  readonly ip: number;
  /** 0 when the account is not known */
  readonly account: number;
}

/** Counts the failures in the window (one query). */
export async function countFailures(
  db: Db,
  key: { ip: string; accountId: string | null },
  now: Date,
  policy: RateLimitPolicy,
): Promise<FailureCounts> {
  const since = new Date(now.getTime() - policy.windowMs);
  const rows = await db
    .selectFrom('auth_failures')
    .select(['scope', (eb) => eb.fn.countAll<number>().as('n')])
    .where('at', '>', since)
    .where((eb) =>
      eb.or([
        eb.and([eb('scope', '=', 'ip'), eb('key', '=', key.ip)]),
        ...(key.accountId ? [eb.and([eb('scope', '=', 'account'), eb('key', '=', key.accountId)])] : []),
      ]),
    )
    .groupBy('scope')
    .execute();
  const n = (scope: AuthFailureScope) => Number(rows.find((r) => r.scope === scope)?.n ?? 0);
  return { ip: n('ip'), account: n('account') };
}

/** Which limit, if any, the counts reach. */
export function limitReached(counts: FailureCounts, policy: RateLimitPolicy): AuthFailureScope | null {
  if (counts.account >= policy.maxPerAccount) return 'account';
  if (counts.ip >= policy.maxPerIp) return 'ip';
  return null;
}

/**
 * ERR_AUTH_RATE_LIMITED with `retryAfter` (seconds): the time until enough failures have left the
 * window for one more attempt.
 */
export async function rateLimitedError(
  db: Db,
  scope: AuthFailureScope,
  key: string,
  now: Date,
  policy: RateLimitPolicy,
): Promise<GongjikError> {
  const max = scope === 'ip' ? policy.maxPerIp : policy.maxPerAccount;
  const since = new Date(now.getTime() - policy.windowMs);
  const rows = await db
    .selectFrom('auth_failures')
    .select('at')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(max)
    .execute();
  // The max-th newest failure must leave the window before the count drops below max.
  const pivot = rows[max - 1]?.at ?? rows.at(-1)?.at ?? now;
  const retryAfter = Math.max(1, Math.ceil((pivot.getTime() + policy.windowMs - now.getTime()) / 1000));
  return new GongjikError('ERR_AUTH_RATE_LIMITED', { retryAfter, scope });
}

/** Records a failed login for the IP and, when known, the account. */
export async function recordFailure(
  db: Db,
  input: { ip: string; accountId: string | null; code: string; now: Date },
): Promise<void> {
  await db
    .insertInto('auth_failures')
    .values([
      { scope: 'ip', key: input.ip, at: input.now, code: input.code },
      ...(input.accountId
        ? [{ scope: 'account' as const, key: input.accountId, at: input.now, code: input.code }]
        : []),
    ])
    .execute();
}

/** Forgets an account's failures (after a successful login). */
export async function clearAccountFailures(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('auth_failures').where('scope', '=', 'account').where('key', '=', accountId).execute();
}

/** Deletes failures older than the window (housekeeping). */
export async function pruneFailures(db: Db, now: Date, policy: RateLimitPolicy): Promise<number> {
  const r = await db
    .deleteFrom('auth_failures')
    .where('at', '<=', new Date(now.getTime() - policy.windowMs))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
