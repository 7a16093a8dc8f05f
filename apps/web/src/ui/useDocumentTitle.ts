import { useEffect } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** Sets the tab title to `<screen> — 공직` (or `Gongjik`). */
export function useDocumentTitle(screenTitle: string): void {
  const { t } = useI18n();
  const appName = t('app.name');
  useEffect(() => {
    document.title = `${screenTitle} — ${appName}`;
  }, [screenTitle, appName]);
}
