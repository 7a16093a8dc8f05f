import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/ko.ts';
import { formatDate } from '../ui/format.ts';
import type { CertificateChoice } from './choices.ts';
import { type Blocker, blockersOf, expiresWithin } from './choices.ts';

const BLOCKER_TEXT: Readonly<Record<Blocker, MessageKey>> = {
  npki: 'cert.status.npki',
  unknownClass: 'cert.status.unknownClass',
  noKey: 'cert.status.noKey',
  expired: 'cert.status.expired',
  notYetValid: 'cert.status.notYetValid',
};

interface Props {
  readonly legend: string;
  readonly choices: readonly CertificateChoice[];
  readonly selectedId: string | null;
  readonly onSelect: (choice: CertificateChoice) => void;
  readonly onForget?: (choice: CertificateChoice) => void;
  readonly now: Date;
}

/** One group of certificates as radio cards: name, class, issuer, expiry and why it cannot be used. */
export function CertificateList(props: Props) {
  const { lang, t } = useI18n();
  if (props.choices.length === 0) return null;
  return (
    <fieldset className="cert-group">
      <legend>{props.legend}</legend>
      <ul className="cert-list">
        {props.choices.map((choice) => {
          const d = choice.description;
          const blockers = blockersOf(choice, props.now);
          const blocked = blockers.length > 0;
          const daysLeft = blocked ? null : expiresWithin(choice, props.now);
          const inputId = `cert-${choice.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
          const name = d.holderName ?? d.subject.cn ?? t('cert.holderUnknown');
          return (
            <li
              key={choice.id}
              className={blocked ? 'cert-item is-blocked' : 'cert-item'}
              data-class={d.class}
            >
              <input
                type="radio"
                className="cert-radio"
                id={inputId}
                name="certificate"
                value={choice.id}
                checked={props.selectedId === choice.id}
                disabled={blocked}
                onChange={() => props.onSelect(choice)}
              />
              <label className="cert-card" htmlFor={inputId}>
                <span className="cert-name">{name}</span>
                <span className="cert-meta">
                  <span>
                    <span className="cert-meta-label">{t('cert.class')}</span> {t(`cert.class.${d.class}`)}
                  </span>
                  <span>
                    <span className="cert-meta-label">{t('cert.issuer')}</span> {d.issuer.cn ?? d.issuer.dn}
                  </span>
                  <span>
                    <span className="cert-meta-label">{t('cert.expires')}</span>{' '}
                    <time dateTime={d.notAfter.toISOString()}>{formatDate(d.notAfter, lang)}</time>
                  </span>
                </span>
                {blockers.length > 0 || choice.source === 'remembered' || daysLeft !== null ? (
                  <span className="cert-badges">
                    {choice.source === 'remembered' ? (
                      <span className="badge badge-info">{t('cert.status.remembered')}</span>
                    ) : null}
                    {daysLeft !== null ? (
                      <span className="badge badge-warn" data-warning="expires-soon">
                        {t('cert.status.expiresSoon', { days: daysLeft })}
                      </span>
                    ) : null}
                    {blockers.map((b) => (
                      <span key={b} className="badge badge-blocked" data-blocker={b}>
                        {t(BLOCKER_TEXT[b])}
                      </span>
                    ))}
                  </span>
                ) : null}
              </label>
              {props.onForget ? (
                <button
                  type="button"
                  className="button-link cert-forget"
                  onClick={() => props.onForget?.(choice)}
                >
                  {t('picker.forget', { name })}
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
