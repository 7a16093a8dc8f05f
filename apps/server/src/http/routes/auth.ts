// Certificate login and sign-up over HTTP (docs/auth-protocol.md, v1). Thin: validate → one domain
// call → map. The domain functions (domain/auth/login.ts, signup.ts) are what other sign-in front
// ends (the OIDC provider) reuse.
import { GongjikError, type Lang } from '@gongjik/errors';
import { z } from 'zod';
import type { CertificateChecker } from '../../domain/auth/certificate.ts';
import { CHALLENGE_PURPOSES, issueChallenge } from '../../domain/auth/challenge.ts';
import type { AuthDeps } from '../../domain/auth/deps.ts';
import { base64urlBytes, type LoginWarning, loginWithCertificate } from '../../domain/auth/login.ts';
import { registerCertificate, verifySignup } from '../../domain/auth/signup.ts';
import type { ServerDeps } from '../deps.ts';
import { languageOf } from '../problem.ts';
import { type AnyRoute, authenticate, defineRoute } from '../route.ts';
import { setSessionCookie } from './sessions.ts';

const MAX_CERT_BYTES = 64 * 1024;
const MAX_SIGNATURE_BYTES = 1024;
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/);

const proofBody = {
  challengeId: z.string().min(1).max(64),
  certificate: b64url(Math.ceil((MAX_CERT_BYTES * 4) / 3)).describe('the certificate, DER, base64url'),
  signature: b64url(Math.ceil((MAX_SIGNATURE_BYTES * 4) / 3) + 4).describe(
    'signature over "gongjik-login:v1\\n<origin>\\n<challengeId>\\n<nonce>", base64url',
  ),
};

const accountView = z.object({
  id: z.string(),
  address: z.string(),
  realName: z.string(),
  agency: z.string().nullable(),
  department: z.string().nullable(),
});

/** A login warning as the API shows it (certificate and mobile-ID logins). */
export const warningView = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('retirement-soon'),
    retirementDate: z.string(),
    daysLeft: z.number(),
    message: z.string(),
  }),
  z.object({
    code: z.literal('certificate-expiring'),
    notAfter: z.string().describe('the last day the certificate is valid (YYYY-MM-DD, Korea)'),
    daysLeft: z.number(),
    message: z.string(),
  }),
]);

export function warningMessage(w: LoginWarning, lang: Lang): string {
  if (w.code === 'certificate-expiring') {
    return lang === 'en'
      ? `Your certificate is valid until ${w.notAfter} (${w.daysLeft} days left). Renew it with your agency's certificate officer and register the renewed certificate before then.`
      : `인증서 유효기간이 ${w.notAfter}까지입니다(${w.daysLeft}일 남음). 만료 전에 소속 기관 인증서 담당자에게 갱신을 신청하고 갱신한 인증서를 등록하십시오.`;
  }
  return lang === 'en'
    ? `Your retirement date is ${w.retirementDate} (${w.daysLeft} days left). Export the mail you need to keep before then: the account becomes read-only on that day.`
    : `퇴직 예정일은 ${w.retirementDate}입니다(${w.daysLeft}일 남음). 그날부터 로그인할 수 없으니 보관할 메일을 미리 내려받으십시오.`;
}

/** The request's Origin header, when it sent one (browsers do on POST). */
function requestOrigin(headers: Record<string, string | string[] | undefined>): string | undefined {
  const o = headers.origin;
  return typeof o === 'string' && o !== 'null' ? o : undefined;
}

export function authRoutes(deps: ServerDeps & { certificates: CertificateChecker }): AnyRoute[] {
  const auth: AuthDeps = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/challenge',
      summary: 'A challenge to sign with the certificate (single use, 2 minutes, bound to the origin)',
      tags: ['auth'],
      auth: 'none',
      body: z.strictObject({ purpose: z.enum(CHALLENGE_PURPOSES) }),
      response: z.object({
        challengeId: z.string(),
        nonce: z.string(),
        origin: z.string(),
        purpose: z.enum(CHALLENGE_PURPOSES),
        expiresAt: z.string(),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        return issueChallenge(deps.db, {
          purpose: ctx.body.purpose,
          origin: deps.config.publicOrigin,
          now: ctx.now,
          ttlMs: deps.config.auth.challengeTtlMs,
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/login',
      summary: 'Certificate login: the signed challenge → a session cookie',
      description:
        'Checks the challenge, the certificate class (NPKI refused), the signature, the path and revocation, ' +
        'that the certificate is registered to an account, the account state and the rate limits.',
      tags: ['auth'],
      auth: 'none',
      body: z.strictObject(proofBody),
      response: z.object({
        account: accountView,
        csrfToken: z.string(),
        session: z.object({ id: z.string(), expiresAt: z.string() }),
        warnings: z.array(warningView),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        const result = await loginWithCertificate(auth, {
          challengeId: ctx.body.challengeId,
          certificateDer: base64urlBytes(ctx.body.certificate, 'body.certificate', MAX_CERT_BYTES),
          signature: base64urlBytes(ctx.body.signature, 'body.signature', MAX_SIGNATURE_BYTES),
          ip: ctx.ip,
          origin: requestOrigin(ctx.request.headers),
          userAgent: ctx.request.headers['user-agent'] ?? null,
        });
        setSessionCookie(deps, ctx.reply, result.session);
        const lang = languageOf(ctx.request);
        return {
          account: result.account,
          csrfToken: result.session.csrfToken,
          session: { id: result.session.session.id, expiresAt: result.session.session.expiresAt },
          warnings: result.warnings.map((w) => ({ ...w, message: warningMessage(w, lang) })),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/signup/verify',
      summary: 'Sign-up step 1: account ID + one-time sign-up code from HR → a short-lived signupToken',
      tags: ['auth'],
      auth: 'none',
      body: z.strictObject({
        accountId: z.string().min(1).max(320),
        otp: z.string().min(1).max(64),
      }),
      response: z.object({
        signupToken: z.string(),
        realName: z.string(),
        agency: z.string(),
        expiresAt: z.string(),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        return verifySignup(auth, { accountId: ctx.body.accountId, otp: ctx.body.otp, ip: ctx.ip });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/signup/certificate',
      summary: 'Sign-up step 2, or renewal: register the certificate that signed a register challenge',
      description:
        'With a signupToken: completes sign-up. Without one, with the session cookie and X-CSRF-Token: ' +
        'registers a renewed certificate of the same person (the old registration is replaced). ' +
        "The certificate's holder name must equal the account's real name exactly.",
      tags: ['auth'],
      auth: 'none',
      body: z.strictObject({ signupToken: z.string().min(1).max(256).optional(), ...proofBody }),
      response: z.object({
        account: accountView,
        certificate: z.object({
          serial: z.string(),
          issuer: z.string(),
          notAfter: z.string(),
          class: z.string(),
          fingerprint: z.string(),
        }),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        let sessionAccountId: string | undefined;
        if (ctx.body.signupToken === undefined) {
          // Renewal: a signed-in session, CSRF-checked like every cookie-authenticated write.
          const s = await authenticate('session', ctx.request, deps, ctx.now);
          sessionAccountId = s.session?.account.id;
          if (!sessionAccountId) throw new GongjikError('ERR_AUTH_SESSION_REQUIRED');
        }
        const result = await registerCertificate(auth, {
          challengeId: ctx.body.challengeId,
          certificateDer: base64urlBytes(ctx.body.certificate, 'body.certificate', MAX_CERT_BYTES),
          signature: base64urlBytes(ctx.body.signature, 'body.signature', MAX_SIGNATURE_BYTES),
          ip: ctx.ip,
          origin: requestOrigin(ctx.request.headers),
          ...(ctx.body.signupToken !== undefined ? { signupToken: ctx.body.signupToken } : {}),
          ...(sessionAccountId ? { sessionAccountId } : {}),
        });
        return { account: result.account, certificate: result.certificate };
      },
    }),
  ];
}
