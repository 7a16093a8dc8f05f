import { login } from '../api/auth.ts';
import { api } from '../app/api.ts';
import { Link } from '../app/Link.tsx';
import { navigate, ROUTE_PATHS } from '../app/router.ts';
import { setSession } from '../app/session.ts';
import { CertificateForm } from '../cert/CertificateForm.tsx';
import { proveCertificate } from '../cert/prove.ts';
import { useI18n } from '../i18n/context.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

export function LoginScreen() {
  const { t } = useI18n();
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
          navigate(ROUTE_PATHS.home);
        }}
      />
      <p className="aside">
        {t('login.signupPrompt')} <Link to={ROUTE_PATHS.signup}>{t('login.signupLink')}</Link>
      </p>
    </section>
  );
}
