import { useEffect } from 'react';
import { useI18n } from '../i18n/context.tsx';

/** Sets the tab title to `<screen> — 모바일 공무원증`. */
export function useDocumentTitle(screenTitle: string): void {
  const { t } = useI18n();
  const appName = t('app.name');
  useEffect(() => {
    document.title = screenTitle === appName ? appName : `${screenTitle} — ${appName}`;
  }, [screenTitle, appName]);
}
