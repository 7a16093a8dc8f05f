import { useEffect } from 'react';
import { Link } from '../app/Link.tsx';
import { navigate, ROUTE_PATHS } from '../app/router.ts';
import { useSession } from '../app/session.ts';
import { useI18n } from '../i18n/context.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';
import { HelpBox } from './support/HelpBox.tsx';

/** The signed-in landing page: who is signed in, warnings, and the way to the mailbox. */
export function HomeScreen() {
  const { t } = useI18n();
  const session = useSession();
  useEffect(() => {
    if (!session) navigate(ROUTE_PATHS.login, { replace: true });
  }, [session]);
  if (!session) return null;
  const { account, warnings } = session;
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('home.title', { name: account.realName })}</ScreenHeading>
      <dl className="summary">
        <div>
          <dt>{t('home.account')}</dt>
          <dd>{account.address}</dd>
        </div>
        {account.agency ? (
          <div>
            <dt>{t('home.agency')}</dt>
            <dd>{[account.agency, account.department].filter(Boolean).join(' · ')}</dd>
          </div>
        ) : null}
      </dl>
      {warnings.length > 0 ? (
        <div className="alert alert-warning" role="status">
          <p className="alert-title">{t('home.warnings')}</p>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        <Link to={ROUTE_PATHS.mail}>{t('home.mailLink')}</Link>
      </p>
      <p>
        <Link to={ROUTE_PATHS.card}>{t('home.cardLink')}</Link>
      </p>
      <p>
        <Link to={ROUTE_PATHS.renew}>{t('home.renewLink')}</Link>
      </p>
      <HelpBox />
    </section>
  );
}
