import { lazy, Suspense } from 'react';
import { login } from '../api/auth.ts';
import { api } from '../app/api.ts';
import { Link } from '../app/Link.tsx';
import { interactionOf, returnPathOf } from '../app/return-path.ts';
import { navigate, ROUTE_PATHS, routeOf } from '../app/router.ts';
import { setSession } from '../app/session.ts';
import { CertificateForm } from '../cert/CertificateForm.tsx';
import { proveCertificate } from '../cert/prove.ts';
import { useI18n } from '../i18n/context.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';
import { afterLogin } from './mid-login/after-login.ts';
import { HelpDeskFooter } from './support/HelpDeskFooter.tsx';

// Sign-in with the mobile ID is its own chunk: the certificate login does not wait for it.
const MidLogin = lazy(() => import('./mid-login/MidLogin.tsx'));

export function LoginScreen() {
  const { t } = useI18n();
  // `/login?return=/oidc/interaction/<uid>`: only a relative path on this origin is honoured.
  const back = returnPathOf(window.location);
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('login.title')}</ScreenHeading>
      <p className="lead">{t('login.intro')}</p>
      <p className="note">{t('login.privacy')}</p>
      <CertificateForm
        submitLabel={t('login.submit')}
        busyLabel={t('login.busy')}
        allowRemember
        onUnlocked={async (unlocked) => {
          const proof = await proveCertificate(api, unlocked, 'login', window.location.origin);
          setSession(await login(api, proof));
          afterLogin(back, ROUTE_PATHS.mail, { navigate, routeOf });
        }}
      />
      <Suspense fallback={null}>
        <MidLogin
          interaction={interactionOf(back)}
          onSignedIn={(result) => {
            setSession(result);
            afterLogin(back, ROUTE_PATHS.home, { navigate, routeOf });
          }}
        />
      </Suspense>
      <p className="aside">
        {t('login.signupPrompt')} <Link to={ROUTE_PATHS.signup}>{t('login.signupLink')}</Link>
      </p>
      <HelpDeskFooter />
    </section>
  );
}
