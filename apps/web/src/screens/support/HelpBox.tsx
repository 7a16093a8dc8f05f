import { useEffect, useState } from 'react';
import { type SupportInfo, telHref } from '../../api/support.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { support } from './support.ts';

/** "도움이 필요하신가요?": the help desk number and the agency's security officer (or that none is registered). */
export function HelpBox() {
  const { t } = useI18n();
  const [info, setInfo] = useState<SupportInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    support.mine().then(
      (value) => live && setInfo(value),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, []);
  const officer = info?.securityOfficer ?? null;
  return (
    <section className="help-box" aria-labelledby="help-title">
      <h2 id="help-title">{t('support.title')}</h2>
      <ErrorMessage error={error} />
      {!info && !error ? <p aria-live="polite">{t('support.loading')}</p> : null}
      {info ? (
        <dl>
          <div>
            <dt>{t('support.helpDesk')}</dt>
            <dd>
              <a
                href={telHref(info.helpDeskPhone)}
                aria-label={t('support.helpDeskCall', { phone: info.helpDeskPhone })}
              >
                {info.helpDeskPhone}
              </a>
            </dd>
          </div>
          <div>
            <dt>{t('support.officer')}</dt>
            {officer ? (
              <dd data-officer>
                <span className="help-officer-name">
                  {officer.name} ({officer.agency})
                </span>
                <span>
                  {t('support.officerPhone')}: <a href={telHref(officer.phone)}>{officer.phone}</a>
                </span>
                <span>
                  {t('support.officerEmail')}: <a href={`mailto:${officer.email}`}>{officer.email}</a>
                </span>
              </dd>
            ) : (
              <dd data-officer="none">{t('support.officerNone')}</dd>
            )}
          </div>
        </dl>
      ) : null}
    </section>
  );
}
