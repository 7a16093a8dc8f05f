// The certificate login and sign-up endpoints (docs/auth-protocol.md, v1).
import { asObject, optStr, str } from './decode.ts';
import { type ApiClient, BadResponseError } from './http.ts';

export type ChallengePurpose = 'login' | 'register';

export interface Challenge {
  readonly challengeId: string;
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: ChallengePurpose;
  readonly expiresAt: string | null;
}

/** What the client sends to prove it holds the certificate's key: nothing else leaves the browser. */
export interface CertificateProof {
  readonly challengeId: string;
  /** The certificate, DER, base64url. */
  readonly certificate: string;
  /** The signature over the challenge message, base64url. */
  readonly signature: string;
}

export interface Account {
  readonly id: string;
  readonly address: string;
  readonly realName: string;
  readonly agency: string | null;
  readonly department: string | null;
}

export interface LoginResult {
  readonly account: Account;
  readonly csrfToken: string;
  readonly warnings: readonly string[];
}

export interface SignupVerification {
  readonly signupToken: string;
  readonly realName: string;
  readonly agency: string | null;
  readonly expiresAt: string | null;
}

export interface RegisteredCertificate {
  readonly serial: string | null;
  readonly issuer: string | null;
  readonly notAfter: string | null;
  readonly class: string | null;
}

function decodeAccount(value: unknown): Account {
  const a = asObject(value, 'account');
  return {
    id: str(a, 'id', 200),
    address: str(a, 'address', 320),
    realName: str(a, 'realName', 200),
    agency: agencyName(a.agency),
    department: agencyName(a.department),
  };
}

/** `agency`/`department` may be a name or an object with a `name`. */
function agencyName(value: unknown): string | null {
  if (typeof value === 'string') return value.slice(0, 200);
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string')
    return (value as { name: string }).name.slice(0, 200);
  return null;
}

function warningText(value: unknown): string | null {
  if (typeof value === 'string') return value.slice(0, 500);
  if (value && typeof value === 'object') {
    const w = value as { message?: unknown; code?: unknown };
    if (typeof w.message === 'string') return w.message.slice(0, 500);
    if (typeof w.code === 'string') return w.code.slice(0, 100);
  }
  return null;
}

export async function requestChallenge(api: ApiClient, purpose: ChallengePurpose): Promise<Challenge> {
  const c = asObject(await api.post('/api/v1/auth/challenge', { purpose }), 'challenge');
  const answered = str(c, 'purpose', 20);
  if (answered !== 'login' && answered !== 'register') throw new BadResponseError('purpose');
  return {
    challengeId: str(c, 'challengeId', 512),
    nonce: str(c, 'nonce', 512),
    origin: str(c, 'origin', 512),
    purpose: answered,
    expiresAt: optStr(c, 'expiresAt', 64),
  };
}

export async function login(api: ApiClient, proof: CertificateProof): Promise<LoginResult> {
  const r = asObject(
    await api.post('/api/v1/auth/login', {
      challengeId: proof.challengeId,
      certificate: proof.certificate,
      signature: proof.signature,
    }),
    'login',
  );
  const warnings = Array.isArray(r.warnings)
    ? r.warnings
        .slice(0, 10)
        .map(warningText)
        .filter((w) => w !== null)
    : [];
  return { account: decodeAccount(r.account), csrfToken: str(r, 'csrfToken', 512), warnings };
}

export async function verifySignup(
  api: ApiClient,
  accountId: string,
  otp: string,
): Promise<SignupVerification> {
  const r = asObject(await api.post('/api/v1/signup/verify', { accountId, otp }), 'signup');
  return {
    signupToken: str(r, 'signupToken', 1024),
    realName: str(r, 'realName', 200),
    agency: agencyName(r.agency),
    expiresAt: optStr(r, 'expiresAt', 64),
  };
}

/**
 * Registers a certificate: at sign-up with the `signupToken`, or (token null) a renewed certificate
 * for the logged-in session.
 */
export async function registerCertificate(
  api: ApiClient,
  signupToken: string | null,
  proof: CertificateProof,
): Promise<RegisteredCertificate> {
  const body = {
    ...(signupToken ? { signupToken } : {}),
    challengeId: proof.challengeId,
    certificate: proof.certificate,
    signature: proof.signature,
  };
  const r = asObject(await api.post('/api/v1/signup/certificate', body), 'registration');
  const c =
    r.certificate && typeof r.certificate === 'object' ? (r.certificate as Record<string, unknown>) : {};
  return {
    serial: optStr(c, 'serial', 200),
    issuer: optStr(c, 'issuer', 1024),
    notAfter: optStr(c, 'notAfter', 64),
    class: optStr(c, 'class', 64),
  };
}

export async function logout(api: ApiClient): Promise<void> {
  await api.post('/api/v1/auth/logout', {});
}
