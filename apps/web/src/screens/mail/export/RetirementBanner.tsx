// The pre-retirement warning at the top of the webmail: the session answer carries the retirement
// date when it is within the warning period (GONGJIK_RETIREMENT_WARNING_DAYS); the banner says how
// many days are left and links to the mailbox export.
import { useEffect, useState } from 'react';
import { navigate } from '../../../app/router.ts';
import { useI18n } from '../../../i18n/context.tsx';
import { send } from '../compose/send-api.ts';
import { mailPaths } from '../paths.ts';

type Warning = { retirementDate: string; daysLeft: number } | null;
let cached: Promise<Warning> | null = null;

export function RetirementBanner() {
  const { t } = useI18n();
  const [warning, setWarning] = useState<Warning>(null);
  useEffect(() => {
    let live = true;
    cached ??= send.retirementWarning().catch(() => {
      cached = null;
      return null;
    });
    void cached.then((w) => live && setWarning(w));
    return () => {
      live = false;
    };
  }, []);
  if (!warning) return null;
  return (
    <aside className="alert alert-warning retirement-banner" aria-labelledby="retirement-title">
      <p id="retirement-title" className="alert-title">
        {t('retirement.title', { days: warning.daysLeft })}
      </p>
      <p className="alert-body">
        {t('retirement.body', { date: warning.retirementDate })}{' '}
        <a
          href={mailPaths.export}
          onClick={(e) => {
            e.preventDefault();
            navigate(mailPaths.export);
          }}
        >
          {t('retirement.link')}
        </a>
      </p>
    </aside>
  );
}
