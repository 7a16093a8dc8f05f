import { authErrors } from './codes/auth.ts';
import { cliErrors } from './codes/cli.ts';
import { commonErrors } from './codes/common.ts';
import { directoryErrors } from './codes/directory.ts';
import { gateErrors } from './codes/gate.ts';
import { hrErrors } from './codes/hr.ts';
import { mailErrors } from './codes/mail.ts';
import { mailSendErrors } from './codes/mail-send.ts';
import { mailStoreErrors } from './codes/mail-store.ts';
import { mobileIdErrors } from './codes/mobile-id.ts';
import { mobileIdServerErrors } from './codes/mobile-id-server.ts';
import { mobileIdVpErrors } from './codes/mobile-id-vp.ts';
import { oidcErrors } from './codes/oidc.ts';
import { pkiErrors } from './codes/pki.ts';
import { portalErrors } from './codes/portal.ts';
import { signatureErrors } from './codes/signature.ts';
import { signupErrors } from './codes/signup.ts';
import type { ErrorSpec } from './spec.ts';

/** Every stable error code. Add an area's table here; docs/errors.md is generated from this. */
export const registry = {
  ...commonErrors,
  ...cliErrors,
  ...pkiErrors,
  ...authErrors,
  ...mobileIdErrors,
  ...mobileIdServerErrors,
  ...mobileIdVpErrors,
  ...mailErrors,
  ...mailStoreErrors,
  ...mailSendErrors,
  ...directoryErrors,
  ...hrErrors,
  ...signupErrors,
  ...oidcErrors,
  ...gateErrors,
  ...signatureErrors,
  ...portalErrors,
} as const;

export type ErrorCode = keyof typeof registry;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(registry, code);
}

export function specOf(code: ErrorCode): ErrorSpec {
  return registry[code];
}

/** Default SMTP reply for a code that does not name one. */
export function smtpReplyOf(code: ErrorCode): string {
  const spec: ErrorSpec = registry[code];
  if (spec.smtp) return spec.smtp;
  return spec.status >= 500 ? '451 4.3.0' : '550 5.7.1';
}
