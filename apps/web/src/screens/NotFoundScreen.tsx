import { Link } from '../app/Link.tsx';
import { ROUTE_PATHS } from '../app/router.ts';
import { useI18n } from '../i18n/context.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

export function NotFoundScreen() {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('app.notFound.title')}</ScreenHeading>
      <p>{t('app.notFound.body')}</p>
      <Link to={ROUTE_PATHS.login}>{t('app.notFound.back')}</Link>
    </section>
  );
}
