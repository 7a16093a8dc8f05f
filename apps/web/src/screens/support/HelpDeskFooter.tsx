import { useEffect, useState } from 'react';
import { telHref } from '../../api/support.ts';
import { useI18n } from '../../i18n/context.tsx';
import { support } from './support.ts';

/** The login page's footer line with the help desk number; shows nothing when it cannot be fetched. */
export function HelpDeskFooter() {
  const { t } = useI18n();
  const [phone, setPhone] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    support.helpDesk().then(
      (value) => live && setPhone(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!phone) return null;
  return (
    <footer className="help-desk-footer">
      <p className="help-desk-line">
        {t('support.loginFooter')}{' '}
        <a href={telHref(phone)} aria-label={t('support.helpDeskCall', { phone })}>
          {phone}
        </a>
      </p>
    </footer>
  );
}
