// Test support for certificate sign-up and login: a development CA whose GPKI/EPKI trust folder is
// the server's trust directory, user certificates issued on demand, and a client that answers
// challenges the way the web app and the CLI do (docs/auth-protocol.md).
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDevCa,
  type DevCa,
  type DevCaKind,
  issueUserCertificates,
  reissueCrls,
  revokeCertificate,
} from '@gongjik/kpki';
import type { LightMyRequestResponse } from 'fastify';
import { manualClock } from '../src/clock.ts';
import type { Config } from '../src/config.ts';
import { type CertificateChecker, createCertificateChecker } from '../src/domain/auth/certificate.ts';
import { challengeMessage } from '../src/domain/auth/challenge.ts';
import { issueSignupCode } from '../src/domain/auth/signup-codes.ts';
import { createTrustStore } from '../src/domain/auth/trust-store.ts';
import type { Db } from '../src/domain/db.ts';
import { buildServer } from '../src/server.ts';
import { json, PUBLIC_URL, START, seedPerson, testConfig } from './helpers.ts';

export const DAY = 86_400_000;
/** The CA and the certificates are made a day before the tests' clock starts. */
export const CA_TIME = new Date(new Date(START).getTime() - DAY);

export interface TestPki {
  readonly ca: DevCa;
  /** the trust directory (the CA's GPKI/EPKI roots, CAs and CRLs) */
  readonly trustDir: string;
  issue(kind: DevCaKind, name: string, options?: { notBefore?: Date; notAfter?: Date }): Promise<TestUser>;
  /** revokes a certificate and publishes fresh CRLs into the trust directory */
  revoke(user: TestUser, now: Date): Promise<void>;
}

export interface TestUser {
  readonly name: string;
  readonly kind: DevCaKind;
  readonly der: Uint8Array;
  readonly serial: string;
  readonly key: KeyObject;
}

const clockFor = (now: Date) => ({ crypto: globalThis.crypto, now });

function writeTrust(ca: DevCa, dir: string): void {
  for (const id of ['gpki-root', 'gpki-ca', 'epki-ca'] as const) {
    const a = ca.authorities[id];
    writeFileSync(join(dir, `${id}.cer`), a.certificate);
    writeFileSync(join(dir, `${id}.crl`), a.crl);
  }
}

let shared: Promise<TestPki> | null = null;

/** One development CA per test file (RSA key generation is slow). */
export function testPki(): Promise<TestPki> {
  shared ??= (async () => {
    const ca = await createDevCa(clockFor(CA_TIME));
    const trustDir = mkdtempSync(join(tmpdir(), 'gongjik-trust-'));
    writeTrust(ca, trustDir);
    return {
      ca,
      trustDir,
      async issue(kind, name, options = {}) {
        const u = await issueUserCertificates(
          ca,
          { kind, name, org: '행정안전부', dept: '디지털정부국', ...options },
          clockFor(options.notBefore ?? CA_TIME),
        );
        return {
          name,
          kind,
          der: u.sign.certificate,
          serial: u.sign.serial,
          key: createPrivateKey({ key: Buffer.from(u.sign.privateKey), format: 'der', type: 'pkcs8' }),
        };
      },
      async revoke(user, now) {
        revokeCertificate(ca, user.serial, { now, reason: 'keyCompromise' });
        await reissueCrls(ca, clockFor(now));
        writeTrust(ca, trustDir);
      },
    };
  })();
  return shared;
}

export const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export interface AuthTestServer {
  readonly app: Awaited<ReturnType<typeof buildServer>>;
  readonly clock: ReturnType<typeof manualClock>;
  readonly config: Config;
  readonly db: Db;
  readonly certificates: CertificateChecker;
}

export async function authServer(
  db: Db,
  pki: TestPki,
  env: Record<string, string> = {},
): Promise<AuthTestServer> {
  const clock = manualClock(START);
  const config = testConfig({ GONGJIK_TRUST_DIR: pki.trustDir, ...env });
  const certificates = createCertificateChecker(createTrustStore({ dir: pki.trustDir, checkEveryMs: 0 }));
  const app = await buildServer({ db, config, clock, certificates }, { logLevel: 'silent', webApp: false });
  return { app, clock, config, db, certificates };
}

export interface Challenge {
  challengeId: string;
  nonce: string;
  origin: string;
  purpose: string;
  expiresAt: string;
}

export async function challenge(t: AuthTestServer, purpose: 'login' | 'register'): Promise<Challenge> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/challenge', payload: { purpose } });
  if (r.statusCode !== 200) throw new Error(`challenge: ${r.statusCode} ${r.body}`);
  return r.json() as Challenge;
}

/** The proof the client sends: certificate + signature over the challenge message. */
export function prove(user: TestUser, c: Challenge) {
  const message = challengeMessage({ origin: c.origin, challengeId: c.challengeId, nonce: c.nonce });
  return {
    challengeId: c.challengeId,
    certificate: b64u(user.der),
    signature: b64u(sign('sha256', message, user.key)),
  };
}

export interface InjectOptions {
  readonly ip?: string;
  readonly headers?: Record<string, string>;
  readonly cookies?: Record<string, string>;
}

export async function login(
  t: AuthTestServer,
  user: TestUser,
  options: InjectOptions & { challenge?: Challenge } = {},
): Promise<LightMyRequestResponse> {
  const c = options.challenge ?? (await challenge(t, 'login'));
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: prove(user, c),
    remoteAddress: options.ip ?? '192.0.2.10',
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** A person with an account (pending) and a fresh sign-up code. */
export async function signupCandidate(
  db: Db,
  options: { realName?: string; type?: 'central' | 'local' | 'education' } = {},
) {
  const p = await seedPerson(db, { realName: options.realName ?? '류시원', type: options.type });
  const code = await issueSignupCode(
    db,
    p.employeeNumber,
    { actor: 'test', now: new Date(START) },
    { ttlMs: 72 * 3_600_000, maxAttempts: 5 },
  );
  return { ...p, code: code.code, address: code.address };
}

export async function verify(t: AuthTestServer, accountId: string, otp: string, ip = '192.0.2.20') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/signup/verify',
    payload: { accountId, otp },
    remoteAddress: ip,
  });
}

/** Sign-up step 1 + step 2 with `user`'s certificate. */
export async function signup(
  t: AuthTestServer,
  candidate: { mailId?: string; code: string },
  user: TestUser,
): Promise<LightMyRequestResponse> {
  const v = await verify(t, candidate.mailId!, candidate.code);
  if (v.statusCode !== 200) return v;
  const { signupToken } = json(v) as { signupToken: string };
  const c = await challenge(t, 'register');
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/signup/certificate',
    payload: { signupToken, ...prove(user, c) },
    remoteAddress: '192.0.2.20',
  });
}

export const SESSION_COOKIE = '__Host-gongjik-session';

export function sessionCookie(r: LightMyRequestResponse): string {
  const c = r.cookies.find((x) => x.name === SESSION_COOKIE);
  if (!c) throw new Error('no session cookie');
  return c.value;
}

export { json, PUBLIC_URL };

/** The newest audit entries of an action, newest first. */
export async function auditOf(db: Db, action: string, limit = 5) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
