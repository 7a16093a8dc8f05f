// Browser sessions, stored in the database so that any number of server processes share them.
// The cookie carries a random token; the table keeps only its SHA-256. Each session also has a
// CSRF token derived from the session token (HMAC), which the browser must echo in a header on
// state-changing requests.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Account, Person, Session, SessionMethod } from '@gongjik/db';
import { PREPARED } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import { assertAccountCanLogin, type LoginAllowed } from '../accounts/login-policy.ts';
import { audit } from '../audit/audit.ts';
import { type Db, inTransaction } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';

export interface SessionPolicy {
  /** the session ends after this long without a request */
  readonly idleMs: number;
  /** and in any case this long after sign-in */
  readonly absoluteMs: number;
}

export interface SessionView {
  readonly id: string;
  readonly method: SessionMethod;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  /** the earlier of the idle and the absolute expiry */
  readonly expiresAt: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly current: boolean;
}

export interface NewSessionOptions {
  readonly method: SessionMethod;
  readonly now: Date;
  readonly policy: SessionPolicy;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  /** safe facts about the sign-in (e.g. the certificate's fingerprint) */
  readonly details?: Record<string, unknown>;
}

export interface NewSession {
  /** goes into the cookie; never stored */
  readonly token: string;
  readonly csrfToken: string;
  readonly session: SessionView;
}

const MAX_USER_AGENT = 256;

/** The CSRF token of a session: HMAC-SHA256 keyed by the session token (not stored anywhere). */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('gongjik csrf v1').digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

type SessionFields = Pick<
  Session,
  'id' | 'method' | 'created_at' | 'last_seen_at' | 'expires_at' | 'ip' | 'user_agent'
>;

/**
 * The NewSession of a session row a caller inserted itself (certificate login does, in the same
 * statement as its checks): the cookie token, its CSRF token and the view.
 */
export function startedSession(token: string, row: SessionFields, policy: SessionPolicy): NewSession {
  return { token, csrfToken: csrfTokenFor(token), session: viewOf(row, policy, row.id) };
}

function viewOf(s: SessionFields, policy: SessionPolicy, currentId?: string): SessionView {
  const idleEnd = s.last_seen_at.getTime() + policy.idleMs;
  return {
    id: s.id,
    method: s.method,
    createdAt: s.created_at.toISOString(),
    lastSeenAt: s.last_seen_at.toISOString(),
    expiresAt: new Date(Math.min(idleEnd, s.expires_at.getTime())).toISOString(),
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.id === currentId,
  };
}

/**
 * Starts a session for an account that has just proved who it is. This is the seam the sign-in
 * methods (certificate login, mobile ID) call once their own checks passed; the account's state is
 * checked here once more. Audited as `session.create`.
 */
export async function createSession(
  db: Db,
  accountId: string,
  options: NewSessionOptions,
): Promise<NewSession> {
  return inTransaction(db, async (trx) => {
    const { account, person } = await loadAccount(trx, accountId);
    assertAccountCanLogin(account, person, options.now, { warningDays: 0 });
    return insertSession(trx, accountId, options);
  });
}

/** One more audit entry written with the session, in the same statement. */
export interface SessionAuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: Record<string, unknown>;
}

/**
 * Inserts a session and its audit entries (`session.create` plus `alsoAudit`) in ONE statement
 * (a data-modifying CTE: one round trip, atomic without a transaction). The caller has checked the
 * account (assertAccountCanLogin) — createSession does it for callers that have not.
 */
export async function insertSession(
  db: Db,
  accountId: string,
  options: NewSessionOptions,
  alsoAudit: readonly SessionAuditEntry[] = [],
): Promise<NewSession> {
  const token = randomToken('gjs');
  const { now, policy } = options;
  const ip = options.ip ?? null;
  const audits = [
    {
      actor: `account:${accountId}`,
      action: 'session.create',
      target: null,
      details: { method: options.method },
    },
    ...alsoAudit,
  ];
  const values = sql.join(
    audits.map(
      (a) =>
        sql`(${a.actor}::text, ${a.action}::text, ${a.target}::text, ${JSON.stringify(a.details)}::jsonb)`,
    ),
  );
  const result = await sql<Session>`${sql.raw(PREPARED)}
    with s as (
      insert into sessions (token_hash, account_id, method, created_at, last_seen_at, expires_at, ip, user_agent, details)
      values (${sha256Hex(token)}, ${accountId}::uuid, ${options.method}, ${now}::timestamptz, ${now}::timestamptz,
              ${new Date(now.getTime() + policy.absoluteMs)}::timestamptz, ${ip}::text,
              ${options.userAgent?.slice(0, MAX_USER_AGENT) ?? null}::text, ${JSON.stringify(options.details ?? {})}::jsonb)
      returning *
    ), a as (
      insert into audit_log (at, actor, action, target, outcome, code, details, ip)
      select ${now}::timestamptz, x.actor, x.action, coalesce(x.target, 'session:' || s.id), 'success', null, x.details, ${ip}::text
      from s cross join (values ${values}) as x(actor, action, target, details)
    )
    select * from s`.execute(db);
  const session = result.rows[0]!;
  return { token, csrfToken: csrfTokenFor(token), session: viewOf(session, policy, session.id) };
}

export async function loadAccount(
  db: Db,
  accountId: string,
): Promise<{ account: Account; person: Person | null }> {
  const account = await db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
  if (!account) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  const person = account.person_id
    ? ((await db.selectFrom('people').selectAll().where('id', '=', account.person_id).executeTakeFirst()) ??
      null)
    : null;
  return { account, person };
}

export interface AuthenticatedSession {
  readonly session: SessionView;
  readonly account: Account;
  readonly person: Person | null;
  readonly login: LoginAllowed;
}

/** Touch last_seen_at at most this often, so that reads do not all turn into writes. */
const TOUCH_EVERY_MS = 30_000;

/**
 * Resolves a cookie token to its live session. Refuses with ERR_AUTH_SESSION_REQUIRED (unknown
 * token) or ERR_AUTH_SESSION_EXPIRED (revoked, idle too long, or past its absolute lifetime), and
 * with the account's own refusal (ERR_AUTH_RETIRED, ERR_AUTH_ACCOUNT_LOCKED…) when its state changed.
 */
export async function authenticateSession(
  db: Db,
  token: string,
  options: { now: Date; policy: SessionPolicy; warningDays: number },
): Promise<AuthenticatedSession> {
  const { now, policy } = options;
  const s = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!s) throw new GongjikError('ERR_AUTH_SESSION_REQUIRED');
  if (s.revoked_at) throw new GongjikError('ERR_AUTH_SESSION_EXPIRED');
  const idle = now.getTime() - s.last_seen_at.getTime() >= policy.idleMs;
  const absolute = now.getTime() >= s.expires_at.getTime();
  if (idle || absolute) {
    await db
      .updateTable('sessions')
      .set({ revoked_at: now, revoke_reason: absolute ? 'absolute-timeout' : 'idle-timeout' })
      .where('id', '=', s.id)
      .where('revoked_at', 'is', null)
      .execute();
    throw new GongjikError('ERR_AUTH_SESSION_EXPIRED');
  }
  const { account, person } = await loadAccount(db, s.account_id);
  const login = assertAccountCanLogin(account, person, now, { warningDays: options.warningDays });
  let current = s;
  if (now.getTime() - s.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    current = { ...s, last_seen_at: now };
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', s.id).execute();
  }
  return { session: viewOf(current, policy, s.id), account, person, login };
}

/** The account's live sessions, newest first. */
export async function listSessions(
  db: Db,
  accountId: string,
  options: { now: Date; policy: SessionPolicy; currentId?: string },
): Promise<SessionView[]> {
  const { now, policy } = options;
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - policy.idleMs))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => viewOf(r, policy, options.currentId));
}

export interface RevokeContext {
  readonly now: Date;
  readonly ip?: string | null;
  /** why: 'logout', 'revoked-by-user', 'revoked-other', … */
  readonly reason: string;
}

/**
 * Ends one of the account's own sessions. A session of another account is reported as not found
 * (ERR_RESOURCE_NOT_FOUND), never revoked.
 */
export async function revokeSession(
  db: Db,
  accountId: string,
  sessionId: string,
  ctx: RevokeContext,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('sessions')
      .set({ revoked_at: ctx.now, revoke_reason: ctx.reason })
      .where('id', '=', sessionId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    await audit(trx, {
      at: ctx.now,
      actor: `account:${accountId}`,
      action: 'session.revoke',
      target: `session:${sessionId}`,
      details: { reason: ctx.reason },
      ip: ctx.ip,
    });
  });
}

/** Ends every other live session of the account; returns how many ended. */
export async function revokeOtherSessions(
  db: Db,
  accountId: string,
  currentSessionId: string,
  ctx: RevokeContext,
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('sessions')
      .set({ revoked_at: ctx.now, revoke_reason: ctx.reason })
      .where('account_id', '=', accountId)
      .where('id', '<>', currentSessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const count = Number(r.numUpdatedRows);
    await audit(trx, {
      at: ctx.now,
      actor: `account:${accountId}`,
      action: 'session.revoke-others',
      target: `account:${accountId}`,
      details: { count, reason: ctx.reason },
      ip: ctx.ip,
    });
    return count;
  });
}
