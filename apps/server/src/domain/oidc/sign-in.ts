// The seam between the OIDC provider and Gongjik's own sign-in: an OIDC login is "the browser holds
// a valid Gongjik session". The session was made by one of the sign-in methods (certificate login
// today, the mobile ID next); each method maps to the amr/acr values relying parties see.
import type { SessionMethod } from '@gongjik/db';
import { type ErrorCode, GongjikError } from '@gongjik/errors';
import { authenticateSession, type SessionPolicy } from '../auth/sessions.ts';
import type { Db } from '../db.ts';
import { sha256Hex } from '../secrets.ts';

export interface SignInMethod {
  /** RFC 8176 style Authentication Method Reference values */
  readonly amr: readonly string[];
  /** Authentication Context Class Reference */
  readonly acr: string;
}

/** Every way to sign in, and what it tells relying parties. Add the mobile ID's details here. */
export const SIGN_IN_METHODS: Readonly<Record<SessionMethod, SignInMethod>> = {
  certificate: { amr: ['pki'], acr: 'urn:gongjik:acr:certificate' },
  'mobile-id': { amr: ['mid'], acr: 'urn:gongjik:acr:mobile-id' },
};

export const signInMethods = Object.keys(SIGN_IN_METHODS) as SessionMethod[];
export const ACR_VALUES = signInMethods.map((m) => SIGN_IN_METHODS[m].acr);

export type SignInDecision =
  | {
      readonly kind: 'signed-in';
      readonly accountId: string;
      readonly sessionId: string;
      readonly method: SessionMethod;
      readonly amr: string[];
      readonly acr: string;
      /** the session's sign-in time, seconds since the epoch */
      readonly authTime: number;
    }
  /** no session, or it ended: send the browser to the sign-in page */
  | { readonly kind: 'sign-in-required' }
  /** the account may not sign in (retired, locked…): the client gets access_denied */
  | { readonly kind: 'refused'; readonly code: ErrorCode; readonly accountId: string | null };

const SIGN_IN_AGAIN = new Set<string>(['ERR_AUTH_SESSION_REQUIRED', 'ERR_AUTH_SESSION_EXPIRED']);

/** Decides from the Gongjik session cookie (if any) whether the OIDC login can complete. */
export async function resolveSignIn(
  db: Db,
  sessionToken: string | undefined,
  options: { now: Date; policy: SessionPolicy; warningDays: number },
): Promise<SignInDecision> {
  if (!sessionToken) return { kind: 'sign-in-required' };
  try {
    const s = await authenticateSession(db, sessionToken, options);
    const method = SIGN_IN_METHODS[s.session.method];
    return {
      kind: 'signed-in',
      accountId: s.account.id,
      sessionId: s.session.id,
      method: s.session.method,
      amr: [...method.amr],
      acr: method.acr,
      authTime: Math.floor(new Date(s.session.createdAt).getTime() / 1000),
    };
  } catch (err) {
    if (!(err instanceof GongjikError)) throw err;
    if (SIGN_IN_AGAIN.has(err.code)) return { kind: 'sign-in-required' };
    const row = await db
      .selectFrom('sessions')
      .select('account_id')
      .where('token_hash', '=', sha256Hex(sessionToken))
      .executeTakeFirst();
    return { kind: 'refused', code: err.code, accountId: row?.account_id ?? null };
  }
}
