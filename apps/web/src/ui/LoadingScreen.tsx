import { useI18n } from '../i18n/context.tsx';

/** Shown while a lazily loaded part of the app arrives. */
export function LoadingScreen() {
  const { t } = useI18n();
  return (
    <p className="status" role="status">
      {t('app.loading')}
    </p>
  );
}
