// Certificate login (docs/auth-protocol.md): the challenge answer is checked — challenge, class,
// signature, path and revocation, registration, account state, rate limits — and a session starts.
// The hot path is ONE database round trip. Everything that needs no database is checked first: the
// challenge ID's MAC and expiry (its nonce is derived from the ID), the certificate's class, the
// signature and the path. Then one statement consumes the challenge, reads the registration, account
// and failure counts, and — only when every condition holds — inserts the session and its audit
// entries. When it did not start a session, the row it read decides the refusal exactly as before
// (and a session is inserted by a second statement in the one case the SQL is stricter than needed).
import type { Account, Person, SessionMethod } from '@gongjik/db';
import { PREPARED } from '@gongjik/db';
import { type ErrorCode, GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import {
  assertAccountCanLogin,
  type CertificateExpiryWarning,
  certificateExpiryWarning,
  type RetirementWarning,
} from '../accounts/login-policy.ts';
import { audit } from '../audit/audit.ts';
import { inTransaction } from '../db.ts';
import { koreanDate } from '../directory/dates.ts';
import { randomToken, sha256Hex } from '../secrets.ts';
import { assertCertificateClass, certificateFingerprint, type InspectedCertificate } from './certificate.ts';
import {
  challengeKey,
  challengeMessage,
  challengeRefusal,
  consumeChallengeSql,
  type DecodedChallenge,
  decodeChallengeId,
} from './challenge.ts';
import type { AuthAccountView, AuthDeps } from './deps.ts';
import { clearAccountFailures, rateLimitedError, recordFailure } from './rate-limit.ts';
import { insertSession, type NewSession, startedSession } from './sessions.ts';

export interface CertificateLoginInput {
  readonly challengeId: string;
  /** the certificate, DER */
  readonly certificateDer: Uint8Array;
  /** the signature over challengeMessage(…) */
  readonly signature: Uint8Array;
  readonly ip: string;
  /** the origin the answer came from (the request's Origin header); default: the public origin */
  readonly origin?: string;
  readonly userAgent?: string | null;
  /** recorded on the session; 'certificate' unless a caller (OIDC) says otherwise */
  readonly method?: SessionMethod;
}

export type LoginWarning =
  | ({ readonly code: 'retirement-soon' } & RetirementWarning)
  | ({ readonly code: 'certificate-expiring' } & CertificateExpiryWarning);

export interface CertificateLoginResult {
  readonly account: AuthAccountView;
  readonly session: NewSession;
  readonly warnings: readonly LoginWarning[];
  readonly certificate: { readonly fingerprint: string; readonly class: string; readonly serial: string };
}

interface LoginRow {
  nonce: string | null;
  origin: string | null;
  purpose: 'login' | 'register' | null;
  expires_at: Date | null;
  registration_id: string | null;
  account_id: string | null;
  registration_revoked_at: Date | null;
  revoke_reason: string | null;
  local_part: string | null;
  domain: string | null;
  real_name: string | null;
  account_state: Account['state'] | null;
  institutional: boolean | null;
  person_state: Person['state'] | null;
  retirement_date: string | null;
  agency_name: string | null;
  department_name: string | null;
  ip_failures: number;
  account_failures: number;
  /** the session the statement started, when every condition held (see `start`) */
  session_id: string | null;
}

/** What the statement needs to start the session itself: set only when the early checks passed. */
interface StartSession {
  readonly tokenHash: string;
  readonly origin: string;
  readonly cert: InspectedCertificate;
  readonly fingerprint: string;
  readonly userAgent: string | null;
  readonly method: SessionMethod;
}

/**
 * One round trip: consume the challenge (when its ID decoded); read the registration, account,
 * person and failure counts. A prepared statement: its text is the same for every login.
 */
async function loadLogin(
  deps: AuthDeps,
  input: {
    challenge: DecodedChallenge | null;
    fingerprint: string;
    ip: string;
    now: Date;
    start: StartSession | null;
  },
): Promise<LoginRow> {
  const { now, start } = input;
  const policy = deps.config.auth.rateLimit;
  const since = new Date(now.getTime() - policy.windowMs);
  const sessionPolicy = deps.config.sessions;
  const cls = start?.cert.description.class ?? null;
  const certificate = start
    ? { fingerprint: start.fingerprint, class: cls, serial: start.cert.description.serial }
    : null;
  // Every condition of the checks below (rate limits, challenge, registration, class, account and
  // person state), in SQL: the session row exists only when all of them hold. Never looser than
  // the checks in loginWithCertificate, which run on the row afterwards all the same.
  const r = await sql<LoginRow>`${sql.raw(PREPARED)}
    with cfg as (
      -- without a session to start, no WAL-flush wait: the refusal's audit entry (or the session
      -- insert) that follows commits durably, and flushing it flushes this earlier commit too
      select set_config('synchronous_commit', case when ${start !== null}::boolean then 'on' else 'off' end, true) as v
    ), c as (${consumeChallengeSql(input.challenge, now)}
    ), r as (
      select id, account_id, revoked_at, revoke_reason from certificate_registrations
      where fingerprint_sha256 = ${input.fingerprint} and replaced_at is null
      order by (revoked_at is null) desc, registered_at desc
      limit 1
    ), b as (
      select c.nonce, c.origin, c.purpose, c.expires_at,
        r.id as registration_id, r.account_id, r.revoked_at as registration_revoked_at, r.revoke_reason,
        a.local_part, a.domain, a.real_name, a.state as account_state, a.institutional,
        p.id as person_id, p.state as person_state, p.retirement_date, g.name as agency_name, d.name as department_name,
        (select count(*) from auth_failures f
          where f.scope = 'ip' and f.key = ${input.ip} and f.at > ${since}::timestamptz)::int as ip_failures,
        (select count(*) from auth_failures f
          where f.scope = 'account' and f.key = r.account_id::text and f.at > ${since}::timestamptz)::int as account_failures
      from (select 1) as one
      left join c on true
      left join r on true
      left join accounts a on a.id = r.account_id
      left join people p on p.id = a.person_id
      left join agencies g on g.id = a.agency_id
      left join departments d on d.id = p.department_id
    ), s as (
      insert into sessions (token_hash, account_id, method, created_at, last_seen_at, expires_at, ip, user_agent, details)
      select ${start?.tokenHash ?? null}::text, b.account_id, ${start?.method ?? null}::text, ${now}::timestamptz, ${now}::timestamptz,
        ${new Date(now.getTime() + sessionPolicy.absoluteMs)}::timestamptz, ${input.ip}::text,
        ${start?.userAgent?.slice(0, 256) ?? null}::text, ${JSON.stringify({ fingerprint: input.fingerprint })}::jsonb
      from b
      where ${start !== null}::boolean
        and b.ip_failures < ${policy.maxPerIp}::int and b.account_failures < ${policy.maxPerAccount}::int
        and b.nonce is not null and b.expires_at > ${now}::timestamptz
        and b.purpose = 'login' and b.origin = ${start?.origin ?? null}::text
        and b.account_id is not null and b.registration_revoked_at is null
        and (${cls === 'gpki-special'}::boolean is false or b.institutional is true)
        and b.account_state = 'active'
        and (b.person_id is null or (b.person_state <> 'retired'
          and (b.retirement_date is null or b.retirement_date > ${koreanDate(now)}::date)))
      returning id, account_id
    ), a as (
      insert into audit_log (at, actor, action, target, outcome, code, details, ip)
      select ${now}::timestamptz, 'account:' || s.account_id, x.action,
        case when x.action = 'session.create' then 'session:' || s.id else 'account:' || b.local_part || '@' || b.domain end,
        'success', null, x.details, ${input.ip}::text
      from s cross join b cross join (values
        ('session.create'::text, ${JSON.stringify({ method: start?.method ?? null })}::jsonb),
        ('auth.login'::text, ${JSON.stringify(certificate)}::jsonb)
      ) as x(action, details)
    )
    select b.*, (select id from s) as session_id, (select v from cfg) as async_commit
    from b`.execute(deps.db);
  return r.rows[0]!;
}

/** Turns a base64url field into bytes, or ERR_INPUT_INVALID naming the field. */
export function base64urlBytes(value: string, field: string, maxBytes: number): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length > Math.ceil((maxBytes * 4) / 3) + 4) {
    throw new GongjikError('ERR_INPUT_INVALID', { field });
  }
  const bytes = new Uint8Array(Buffer.from(value, 'base64url'));
  if (bytes.byteLength === 0) throw new GongjikError('ERR_INPUT_INVALID', { field });
  return bytes;
}

/**
 * Logs in with a certificate: checks the answer to a `login` challenge and starts a session.
 * Refusals, in order: ERR_AUTH_RATE_LIMITED; ERR_AUTH_CHALLENGE_INVALID / _EXPIRED / _REPLAYED;
 * ERR_PKI_NPKI_NOT_ACCEPTED, ERR_PKI_CLASS_NOT_ACCEPTED; ERR_PKI_SIGNATURE_INVALID; path and
 * revocation (ERR_PKI_*); ERR_AUTH_CERT_NOT_REGISTERED; ERR_AUTH_RETIRED, ERR_AUTH_ACCOUNT_LOCKED,
 * ERR_AUTH_SIGNUP_INCOMPLETE. Every success and every refusal is audited (`auth.login`). Failures
 * count towards the rate limits: per IP always, per account only once the client has proved it holds
 * the certificate's key (so nobody can lock an official out with a copy of their certificate).
 */
export async function loginWithCertificate(
  deps: AuthDeps,
  input: CertificateLoginInput,
): Promise<CertificateLoginResult> {
  const now = deps.clock.now();
  const origin = input.origin ?? deps.config.publicOrigin;
  const fingerprint = certificateFingerprint(input.certificateDer);
  const policy = deps.config.auth.rateLimit;
  const method = input.method ?? 'certificate';
  let row: LoginRow | null = null;
  const seen: AnswerSeen = { cert: null, keyProven: false };
  try {
    const key = await challengeKey(deps.db, now);
    const decoded = decodeChallengeId(key, input.challengeId, {
      origin: deps.config.publicOrigin,
      ttlMs: deps.config.auth.challengeTtlMs,
    });
    const early = decoded ? await earlyChecks(deps, input, decoded, origin, now) : null;
    const token = early ? randomToken('gjs') : null;
    row = await loadLogin(deps, {
      challenge: decoded,
      fingerprint,
      ip: input.ip,
      now,
      start:
        early && token
          ? {
              tokenHash: sha256Hex(token),
              origin,
              cert: early,
              fingerprint,
              userAgent: input.userAgent ?? null,
              method,
            }
          : null,
    });
    if (row.account_id && row.account_failures >= policy.maxPerAccount)
      throw await rateLimitedError(deps.db, 'account', row.account_id, now, policy);
    if (row.ip_failures >= policy.maxPerIp)
      throw await rateLimitedError(deps.db, 'ip', input.ip, now, policy);

    if (!decoded) throw new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'unknown' });
    if (!row.nonce || !row.origin || !row.purpose || !row.expires_at)
      throw new GongjikError('ERR_AUTH_CHALLENGE_REPLAYED');
    const challenge = { origin: row.origin, purpose: row.purpose, expires_at: row.expires_at };
    const refusal = challengeRefusal(challenge, { purpose: 'login', origin, now });
    if (refusal) throw refusal;

    const cert = await checkAnswer(deps, input, { origin: row.origin, nonce: row.nonce }, now, seen);

    const retiredRegistration = row.registration_revoked_at !== null && row.revoke_reason === 'retired';
    if (!row.account_id || !row.account_state || (row.registration_revoked_at && !retiredRegistration))
      throw new GongjikError('ERR_AUTH_CERT_NOT_REGISTERED');
    assertCertificateClass(cert.description.class, row.institutional === true);
    const login = assertAccountCanLogin(
      { state: row.account_state },
      row.person_state ? { state: row.person_state, retirement_date: row.retirement_date } : null,
      now,
      { warningDays: deps.config.retirement.warningDays },
    );

    const expiry = certificateExpiryWarning(
      cert.description.notAfter,
      now,
      deps.config.auth.certificateWarningDays,
    );
    const address = `${row.local_part}@${row.domain}`;
    const certificate = {
      fingerprint,
      class: cert.description.class,
      serial: cert.description.serial,
    };
    const session =
      row.session_id && token
        ? startedSession(
            token,
            {
              id: row.session_id,
              method,
              created_at: now,
              last_seen_at: now,
              expires_at: new Date(now.getTime() + deps.config.sessions.absoluteMs),
              ip: input.ip,
              user_agent: input.userAgent?.slice(0, 256) ?? null,
            },
            deps.config.sessions,
          )
        : await insertSession(
            deps.db,
            row.account_id,
            {
              method,
              now,
              policy: deps.config.sessions,
              ip: input.ip,
              userAgent: input.userAgent ?? null,
              details: { fingerprint },
            },
            [
              {
                actor: `account:${row.account_id}`,
                action: 'auth.login',
                target: `account:${address}`,
                details: certificate,
              },
            ],
          );
    if (row.account_failures > 0) await clearAccountFailures(deps.db, row.account_id);
    return {
      account: {
        id: row.account_id,
        address,
        realName: row.real_name ?? '',
        agency: row.agency_name,
        department: row.department_name,
      },
      session,
      warnings: loginWarnings(login.retirementWarning, expiry),
      certificate,
    };
  } catch (err) {
    // The statement starts a session only when every check holds, so a refusal after it means the
    // two disagree: end that session before refusing (never expected; logged by the caller's 500).
    if (row?.session_id) await endStartedSession(deps, row.session_id, now);
    if (!(err instanceof GongjikError)) throw err;
    await recordRefusal(deps, err.code, {
      now,
      ip: input.ip,
      fingerprint,
      accountId: row?.account_id ?? null,
      address: row?.local_part ? `${row.local_part}@${row.domain}` : null,
      keyProven: seen.keyProven,
      certClass: seen.cert?.description.class ?? null,
    });
    throw err;
  }
}

/**
 * The checks that need no database, done before the statement so that it can start the session:
 * the challenge's expiry, purpose and origin (from its MAC'd ID), the certificate's class, the
 * signature and the path. Returns the inspected certificate, or null when any check fails: the
 * statement then starts nothing, and the checks after it refuse in their usual order.
 */
async function earlyChecks(
  deps: AuthDeps,
  input: CertificateLoginInput,
  decoded: DecodedChallenge,
  origin: string,
  now: Date,
): Promise<InspectedCertificate | null> {
  const challenge = { origin: decoded.origin, purpose: decoded.purpose, expires_at: decoded.expiresAt };
  if (challengeRefusal(challenge, { purpose: 'login', origin, now })) return null;
  try {
    return await checkAnswer(deps, input, decoded, now, { cert: null, keyProven: false });
  } catch (err) {
    if (err instanceof GongjikError) return null;
    throw err;
  }
}

/** How far an answer's check got: for the refusal's audit entry and the rate limits. */
interface AnswerSeen {
  cert: InspectedCertificate | null;
  /** the signature verified: the client holds the certificate's key */
  keyProven: boolean;
}

/**
 * The certificate part of an answer: class (NPKI first), the signature over the challenge, then
 * path and revocation. Records in `seen` how far it got.
 */
async function checkAnswer(
  deps: AuthDeps,
  input: CertificateLoginInput,
  challenge: { readonly origin: string; readonly nonce: string },
  now: Date,
  seen: AnswerSeen,
): Promise<InspectedCertificate> {
  const cert = await deps.certificates.inspect(input.certificateDer);
  seen.cert = cert;
  assertCertificateClass(cert.description.class, undefined);
  const message = challengeMessage({
    origin: challenge.origin,
    challengeId: input.challengeId,
    nonce: challenge.nonce,
  });
  deps.certificates.verifySignature(cert, message, input.signature);
  seen.keyProven = true;
  await deps.certificates.validatePath(cert, now);
  return cert;
}

async function endStartedSession(deps: AuthDeps, sessionId: string, now: Date): Promise<void> {
  await deps.db
    .updateTable('sessions')
    .set({ revoked_at: now, revoke_reason: 'login-refused' })
    .where('id', '=', sessionId)
    .execute();
}

/** The warnings a login shows: an approaching retirement, a certificate to renew soon. */
function loginWarnings(
  retirement: RetirementWarning | null,
  expiry: CertificateExpiryWarning | null,
): LoginWarning[] {
  const warnings: LoginWarning[] = [];
  if (retirement) warnings.push({ code: 'retirement-soon', ...retirement });
  if (expiry) warnings.push({ code: 'certificate-expiring', ...expiry });
  return warnings;
}

async function recordRefusal(
  deps: AuthDeps,
  code: ErrorCode,
  r: {
    now: Date;
    ip: string;
    fingerprint: string;
    accountId: string | null;
    address: string | null;
    keyProven: boolean;
    certClass: string | null;
  },
): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    if (code !== 'ERR_AUTH_RATE_LIMITED') {
      await recordFailure(trx, {
        ip: r.ip,
        accountId: r.keyProven ? r.accountId : null,
        code,
        now: r.now,
      });
    }
    await audit(trx, {
      at: r.now,
      actor: r.keyProven && r.accountId ? `account:${r.accountId}` : 'anonymous',
      action: 'auth.login',
      target: r.address ? `account:${r.address}` : `certificate:${r.fingerprint}`,
      outcome: 'refused',
      code,
      details: { fingerprint: r.fingerprint, ...(r.certClass ? { class: r.certClass } : {}) },
      ip: r.ip,
    });
  });
}
