// Certificate sign-up and renewal (docs/auth-protocol.md). Step 1 checks the account ID and the
// one-time sign-up code from HR and hands out a short-lived signupToken; step 2 answers a
// `register` challenge with the certificate, which must validate, be of an accepted class and carry
// exactly the account's real name. A logged-in official uses step 2 alone to register a renewed
// certificate (same person, same name); the old registration is then marked replaced.
import type { Account } from '@gongjik/db';
import { type ErrorCode, GongjikError } from '@gongjik/errors';
import { compareNames } from '@gongjik/kpki';
import { audit } from '../audit/audit.ts';
import { type Db, inTransaction } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';
import { assertCertificateClass, certificateFingerprint, type InspectedCertificate } from './certificate.ts';
import { challengeMessage, consumeChallenge } from './challenge.ts';
import type { AuthAccountView, AuthDeps } from './deps.ts';
import { markSignupCodeUsed, verifySignupCode } from './signup-codes.ts';

export interface SignupVerification {
  /** shown once; only its SHA-256 is stored */
  readonly signupToken: string;
  readonly realName: string;
  readonly agency: string;
  readonly expiresAt: string;
}

/**
 * Step 1: the account ID (`ryusiwon` or `ryusiwon@korea.kr`) and the one-time sign-up code.
 * Refusals from verifySignupCode: ERR_SIGNUP_CODE_INVALID (attempts counted),
 * ERR_SIGNUP_CODE_EXPIRED, ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED, ERR_SIGNUP_ORG_NOT_ELIGIBLE (public
 * institution), ERR_AUTH_RETIRED. The code stays unused until the certificate is registered.
 */
export async function verifySignup(
  deps: AuthDeps,
  input: { accountId: string; otp: string; ip: string },
): Promise<SignupVerification> {
  const now = deps.clock.now();
  const verified = await verifySignupCode(
    deps.db,
    { accountId: input.accountId, code: input.otp },
    { now, ip: input.ip, defaultDomain: deps.config.mailDomain },
  );
  const signupToken = randomToken('gjsu');
  const expiresAt = new Date(now.getTime() + deps.config.auth.signupTokenTtlMs);
  await deps.db
    .insertInto('signup_tokens')
    .values({
      token_hash: sha256Hex(signupToken),
      account_id: verified.accountId,
      signup_code_id: verified.signupCodeId,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  const account = await deps.db
    .selectFrom('accounts')
    .innerJoin('agencies', 'agencies.id', 'accounts.agency_id')
    .select(['accounts.real_name', 'agencies.name'])
    .where('accounts.id', '=', verified.accountId)
    .executeTakeFirstOrThrow();
  return {
    signupToken,
    realName: account.real_name,
    agency: account.name,
    expiresAt: expiresAt.toISOString(),
  };
}

export interface CertificateRegistrationInput {
  readonly challengeId: string;
  readonly certificateDer: Uint8Array;
  readonly signature: Uint8Array;
  readonly ip: string;
  /** the origin the answer came from; default: the public origin */
  readonly origin?: string;
  /** sign-up: the token of step 1 … */
  readonly signupToken?: string;
  /** … or renewal: the logged-in session's account */
  readonly sessionAccountId?: string;
}

export interface RegisteredCertificateView {
  readonly serial: string;
  readonly issuer: string;
  readonly notAfter: string;
  readonly class: string;
  readonly fingerprint: string;
}

export interface CertificateRegistrationResult {
  readonly account: AuthAccountView;
  readonly certificate: RegisteredCertificateView;
  readonly renewal: boolean;
  /** how many earlier registrations of the account this one replaced */
  readonly replaced: number;
}

interface AccountContext {
  readonly account: Account;
  readonly agencyName: string;
  readonly agencyType: string;
  readonly departmentName: string | null;
}

async function loadAccountContext(db: Db, accountId: string): Promise<AccountContext> {
  const row = await db
    .selectFrom('accounts')
    .innerJoin('agencies', 'agencies.id', 'accounts.agency_id')
    .leftJoin('people', 'people.id', 'accounts.person_id')
    .leftJoin('departments', 'departments.id', 'people.department_id')
    .selectAll('accounts')
    .select([
      'agencies.name as agency_name',
      'agencies.type as agency_type',
      'departments.name as department_name',
    ])
    .where('accounts.id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_AUTH_SIGNUP_TOKEN_INVALID');
  const { agency_name, agency_type, department_name, ...account } = row;
  return { account, agencyName: agency_name, agencyType: agency_type, departmentName: department_name };
}

async function signupTokenRow(db: Db, token: string, now: Date) {
  const row = await db
    .selectFrom('signup_tokens')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.used_at || row.expires_at.getTime() <= now.getTime())
    throw new GongjikError('ERR_AUTH_SIGNUP_TOKEN_INVALID');
  return row;
}

/**
 * Step 2 (and renewal): registers the certificate that answered a `register` challenge.
 * Refusals: ERR_AUTH_SIGNUP_TOKEN_INVALID; ERR_AUTH_CHALLENGE_*; ERR_PKI_NPKI_NOT_ACCEPTED,
 * ERR_PKI_CLASS_NOT_ACCEPTED; ERR_PKI_SIGNATURE_INVALID; path and revocation (ERR_PKI_*);
 * ERR_PKI_NAME_UNREADABLE; ERR_AUTH_NAME_MISMATCH (details certName, accountName); ERR_SIGNUP_ORG_NOT_ELIGIBLE;
 * ERR_AUTH_RETIRED; ERR_AUTH_CERT_ALREADY_REGISTERED (registered to another account). Audited as
 * `certificate.register` / `certificate.renew`, refusals included.
 */
export async function registerCertificate(
  deps: AuthDeps,
  input: CertificateRegistrationInput,
): Promise<CertificateRegistrationResult> {
  const now = deps.clock.now();
  const renewal = input.signupToken === undefined;
  const action = renewal ? 'certificate.renew' : 'certificate.register';
  const fingerprint = certificateFingerprint(input.certificateDer);
  let ctx: AccountContext | null = null;
  let cert: InspectedCertificate | null = null;
  try {
    let accountId: string;
    let tokenRow: { id: string; signup_code_id: string } | null = null;
    if (input.signupToken !== undefined) {
      const row = await signupTokenRow(deps.db, input.signupToken, now);
      tokenRow = row;
      accountId = row.account_id;
    } else if (input.sessionAccountId) {
      accountId = input.sessionAccountId;
    } else {
      throw new GongjikError('ERR_AUTH_SESSION_REQUIRED');
    }
    const challenge = await consumeChallenge(deps.db, {
      challengeId: input.challengeId,
      purpose: 'register',
      origin: input.origin ?? deps.config.publicOrigin,
      issuedOrigin: deps.config.publicOrigin,
      now,
      ttlMs: deps.config.auth.challengeTtlMs,
    });
    ctx = await loadAccountContext(deps.db, accountId);
    const { account } = ctx;
    if (ctx.agencyType === 'public')
      throw new GongjikError('ERR_SIGNUP_ORG_NOT_ELIGIBLE', { agency: ctx.agencyName });
    if (account.state === 'retired') throw new GongjikError('ERR_AUTH_RETIRED');
    if (renewal && account.state !== 'active') throw new GongjikError('ERR_AUTH_ACCOUNT_LOCKED');

    cert = await deps.certificates.inspect(input.certificateDer);
    assertCertificateClass(cert.description.class, account.institutional);
    deps.certificates.verifySignature(
      cert,
      challengeMessage({ origin: challenge.origin, challengeId: challenge.id, nonce: challenge.nonce }),
      input.signature,
    );
    await deps.certificates.validatePath(cert, now);
    const holderName = cert.description.holderName;
    if (holderName === null) throw new GongjikError('ERR_PKI_NAME_UNREADABLE', { reason: 'no-name' });
    compareNames(holderName, account.real_name);

    const d = cert.description;
    const view: RegisteredCertificateView = {
      serial: d.serial,
      issuer: d.issuer.dn,
      notAfter: d.notAfter.toISOString(),
      class: d.class,
      fingerprint,
    };
    const replaced = await inTransaction(deps.db, async (trx) => {
      await trx.selectFrom('accounts').select('id').where('id', '=', account.id).forUpdate().execute();
      const live = await trx
        .selectFrom('certificate_registrations')
        .select(['id', 'account_id'])
        .where('fingerprint_sha256', '=', fingerprint)
        .where('replaced_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (live && live.account_id !== account.id) throw new GongjikError('ERR_AUTH_CERT_ALREADY_REGISTERED');
      let count = 0;
      if (!live) {
        const r = await trx
          .updateTable('certificate_registrations')
          .set({ replaced_at: now })
          .where('account_id', '=', account.id)
          .where('replaced_at', 'is', null)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        count = Number(r.numUpdatedRows);
        await trx
          .insertInto('certificate_registrations')
          .values({
            account_id: account.id,
            fingerprint_sha256: fingerprint,
            serial: d.serial,
            issuer: d.issuer.dn,
            class: d.class,
            subject_name: holderName,
            not_after: d.notAfter,
            registered_at: now,
          })
          .execute();
      }
      if (tokenRow) {
        const spent = await trx
          .updateTable('signup_tokens')
          .set({ used_at: now })
          .where('id', '=', tokenRow.id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        if (Number(spent.numUpdatedRows) !== 1) throw new GongjikError('ERR_AUTH_SIGNUP_TOKEN_INVALID');
        if (!(await markSignupCodeUsed(trx, tokenRow.signup_code_id, now)))
          throw new GongjikError('ERR_SIGNUP_CODE_INVALID');
        await trx
          .updateTable('accounts')
          .set({ state: 'active', updated_at: now })
          .where('id', '=', account.id)
          .where('state', '=', 'pending')
          .execute();
      }
      await audit(trx, {
        at: now,
        actor: renewal ? `account:${account.id}` : `signup:account:${account.local_part}@${account.domain}`,
        action,
        target: `account:${account.local_part}@${account.domain}`,
        details: { ...view, replaced: count, alreadyRegistered: live !== undefined },
        ip: input.ip,
      });
      return count;
    }).catch((err: unknown) => {
      // Two registrations of one certificate racing: the unique index on live fingerprints decides.
      if (err instanceof Error && /certificate_registrations_live_fp_idx|unique/i.test(err.message))
        throw new GongjikError('ERR_AUTH_CERT_ALREADY_REGISTERED');
      throw err;
    });
    return {
      account: {
        id: account.id,
        address: `${account.local_part}@${account.domain}`,
        realName: account.real_name,
        agency: ctx.agencyName,
        department: ctx.departmentName,
      },
      certificate: view,
      renewal,
      replaced,
    };
  } catch (err) {
    if (!(err instanceof GongjikError)) throw err;
    await auditRefusal(deps.db, err.code, {
      action,
      now,
      ip: input.ip,
      fingerprint,
      address: ctx ? `${ctx.account.local_part}@${ctx.account.domain}` : null,
      certClass: cert?.description.class ?? null,
      details: err.code === 'ERR_AUTH_NAME_MISMATCH' ? err.details : {},
    });
    throw err;
  }
}

async function auditRefusal(
  db: Db,
  code: ErrorCode,
  r: {
    action: string;
    now: Date;
    ip: string;
    fingerprint: string;
    address: string | null;
    certClass: string | null;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await audit(db, {
    at: r.now,
    actor: r.address ? `signup:account:${r.address}` : 'anonymous',
    action: r.action,
    target: r.address ? `account:${r.address}` : `certificate:${r.fingerprint}`,
    outcome: 'refused',
    code,
    details: { fingerprint: r.fingerprint, ...(r.certClass ? { class: r.certClass } : {}), ...r.details },
    ip: r.ip,
  });
}
