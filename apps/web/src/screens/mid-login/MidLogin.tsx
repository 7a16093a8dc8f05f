// Sign-in with the mobile ID, beside the certificate on the login page (a lazily loaded chunk).
// The server makes an OpenID4VP request; the wallet answers it; the poll's final answer is the
// same as a certificate login's (session cookie + the account and CSRF token for the page).
import { useMemo } from 'react';
import type { LoginResult } from '../../api/auth.ts';
import { useI18n } from '../../i18n/context.tsx';
import { loginResultOf } from './api.ts';
import { PresentationRequestView } from './PresentationRequestView.tsx';

export interface MidLoginProps {
  /** the pending OIDC interaction (its client's name is shown in the wallet) */
  readonly interaction: string | null;
  readonly onSignedIn: (result: LoginResult) => void | Promise<void>;
}

/** Phones get the deep link first; the QR code is for a wallet on another device. */
function isSmallScreen(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 40rem)').matches;
}

export default function MidLogin(props: MidLoginProps) {
  const { t } = useI18n();
  const body = useMemo(
    () => ({
      mode: isSmallScreen() ? 'same-device' : 'cross-device',
      ...(props.interaction ? { interaction: props.interaction } : {}),
    }),
    [props.interaction],
  );
  return (
    <section className="mid-login" aria-labelledby="mid-login-title">
      <p className="mid-or" aria-hidden="true">
        {t('mid.or')}
      </p>
      <h2 id="mid-login-title">{t('mid.title')}</h2>
      <p>{t('mid.intro')}</p>
      <PresentationRequestView
        path="/api/v1/auth/mid/requests"
        body={body}
        startLabel="mid.start"
        sameDevice
        onDone={(answer) => props.onSignedIn(loginResultOf(answer))}
      />
    </section>
  );
}
