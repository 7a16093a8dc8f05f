import { useState } from 'react';
import { type RegisteredCertificate, registerCertificate } from '../api/auth.ts';
import { api } from '../app/api.ts';
import { Link } from '../app/Link.tsx';
import { ROUTE_PATHS } from '../app/router.ts';
import { useSession } from '../app/session.ts';
import { CertificateForm } from '../cert/CertificateForm.tsx';
import type { CertificateChoice } from '../cert/choices.ts';
import { proveCertificate } from '../cert/prove.ts';
import { useI18n } from '../i18n/context.tsx';
import { formatDate } from '../ui/format.ts';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';
import { checkHolderName } from './SignupScreen.tsx';

/** Register a renewed certificate of the signed-in person (it replaces the old registration). */
export function RenewScreen() {
  const { lang, t } = useI18n();
  const session = useSession();
  const [done, setDone] = useState<{ registered: RegisteredCertificate; choice: CertificateChoice } | null>(
    null,
  );
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('renew.title')}</ScreenHeading>
      {!session ? (
        <p className="lead">
          {t('renew.needLogin')} <Link to={ROUTE_PATHS.login}>{t('nav.login')}</Link>
        </p>
      ) : done ? (
        <div className="stack" role="status">
          <h2>{t('renew.doneTitle')}</h2>
          <p>{t('renew.doneBody', { notAfter: formatDate(done.choice.description.notAfter, lang) })}</p>
          <Link to={ROUTE_PATHS.home} className="button button-primary">
            {t('app.homeLink')}
          </Link>
        </div>
      ) : (
        <>
          <p className="lead">{t('renew.intro')}</p>
          <CertificateForm
            submitLabel={t('renew.submit')}
            busyLabel={t('signup.registering')}
            allowRemember={false}
            check={(choice) => checkHolderName(choice, session.account.realName)}
            onUnlocked={async (unlocked, choice) => {
              const proof = await proveCertificate(api, unlocked, 'register', window.location.origin);
              setDone({ registered: await registerCertificate(api, null, proof), choice });
            }}
          />
        </>
      )}
    </section>
  );
}
