// Certificate login (docs/auth-protocol.md): the challenge answer is checked — challenge, class,
// signature, path and revocation, registration, account state, rate limits — and a session starts.
// The hot path is two database round trips: one statement consumes the challenge and reads the
// registration, account and failure counts; one statement inserts the session and its audit entries
// (the only one that waits for the WAL flush).
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
import { insertSession, type NewSession } from './sessions.ts';

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
}

/**
 * One round trip: consume the challenge (when its ID decoded); read the registration, account,
 * person and failure counts. A prepared statement: its text is the same for every login.
 */
async function loadLogin(
  deps: AuthDeps,
  input: { challenge: DecodedChallenge | null; fingerprint: string; ip: string; now: Date },
): Promise<LoginRow> {
  const since = new Date(input.now.getTime() - deps.config.auth.rateLimit.windowMs);
  const r = await sql<LoginRow>`${sql.raw(PREPARED)}
    with cfg as (
      -- no WAL-flush wait for this statement: the session insert (or the refusal's audit entry)
      -- that follows commits durably, and flushing it flushes this earlier commit too
      select set_config('synchronous_commit', 'off', true) as v
    ), c as (${consumeChallengeSql(input.challenge, input.now)}
    ), r as (
      select id, account_id, revoked_at, revoke_reason from certificate_registrations
      where fingerprint_sha256 = ${input.fingerprint} and replaced_at is null
      order by (revoked_at is null) desc, registered_at desc
      limit 1
    )
    select c.nonce, c.origin, c.purpose, c.expires_at,
      r.id as registration_id, r.account_id, r.revoked_at as registration_revoked_at, r.revoke_reason,
      a.local_part, a.domain, a.real_name, a.state as account_state, a.institutional,
      p.state as person_state, p.retirement_date, g.name as agency_name, d.name as department_name,
      (select count(*) from auth_failures f
        where f.scope = 'ip' and f.key = ${input.ip} and f.at > ${since}::timestamptz)::int as ip_failures,
      (select count(*) from auth_failures f
        where f.scope = 'account' and f.key = r.account_id::text and f.at > ${since}::timestamptz)::int as account_failures,
      (select v from cfg) as async_commit
    from (select 1) as one
    left join c on true
    left join r on true
    left join accounts a on a.id = r.account_id
    left join people p on p.id = a.person_id
    left join agencies g on g.id = a.agency_id
    left join departments d on d.id = p.department_id`.execute(deps.db);
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
  let row: LoginRow | null = null;
  let cert: InspectedCertificate | null = null;
  let keyProven = false;
  try {
    const key = await challengeKey(deps.db, now);
    const decoded = decodeChallengeId(key, input.challengeId, {
      origin: deps.config.publicOrigin,
      ttlMs: deps.config.auth.challengeTtlMs,
    });
    row = await loadLogin(deps, { challenge: decoded, fingerprint, ip: input.ip, now });
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

    cert = await deps.certificates.inspect(input.certificateDer);
    assertCertificateClass(cert.description.class, undefined);
    const message = challengeMessage({
      origin: row.origin,
      challengeId: input.challengeId,
      nonce: row.nonce,
    });
    deps.certificates.verifySignature(cert, message, input.signature);
    keyProven = true;
    await deps.certificates.validatePath(cert, now);

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
    const session = await insertSession(
      deps.db,
      row.account_id,
      {
        method: input.method ?? 'certificate',
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
    if (!(err instanceof GongjikError)) throw err;
    await recordRefusal(deps, err.code, {
      now,
      ip: input.ip,
      fingerprint,
      accountId: row?.account_id ?? null,
      address: row?.local_part ? `${row.local_part}@${row.domain}` : null,
      keyProven,
      certClass: cert?.description.class ?? null,
    });
    throw err;
  }
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
