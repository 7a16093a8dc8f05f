import type { CardView } from '../app/service.ts';
import { useI18n } from '../i18n/context.tsx';
import type { CardState } from '../status/status.ts';
import { formatDate } from '../ui/format.ts';

function Emblem() {
  return (
    <svg className="id-card-emblem" viewBox="0 0 40 40" width="34" height="34" aria-hidden="true">
      <circle cx="20" cy="20" r="19" fill="#fff" />
      <path d="M20 6a14 14 0 0 1 0 28a7 7 0 0 1 0-14a7 7 0 0 0 0-14z" fill="#c8102e" />
      <path d="M20 34a14 14 0 0 1 0-28a7 7 0 0 1 0 14a7 7 0 0 0 0 14z" fill="#0b3d91" />
    </svg>
  );
}

function PhotoPlaceholder() {
  return (
    <svg viewBox="0 0 60 70" aria-hidden="true">
      <circle cx="30" cy="24" r="13" fill="#8fa6cc" />
      <path d="M4 70c0-17 11.6-27 26-27s26 10 26 27z" fill="#8fa6cc" />
    </svg>
  );
}

/** The card laid out like the plastic 공무원증: band, photo, name, agency lines, validity. */
export function IdCard(props: { readonly card: CardView; readonly state: CardState | 'unknown' }) {
  const { t, lang } = useI18n();
  const { card } = props;
  const from = card.validFrom === null ? '' : formatDate(card.validFrom, lang);
  return (
    <section className="id-card" data-state={props.state} aria-labelledby="card-name">
      <div className="id-card-band">
        <Emblem />
        <p className="id-card-title">
          <span className="id-card-country">{t('card.country')}</span>
          <span className="id-card-kind">{t('card.kind')}</span>
          <span className="id-card-kind-en" lang="en">
            {t('card.kindEn')}
          </span>
        </p>
      </div>
      <div className="id-card-body">
        <div className="id-card-photo" role="img" aria-label={t('card.photo')}>
          <PhotoPlaceholder />
        </div>
        <div>
          <h2 className="id-card-name" id="card-name">
            {card.name}
          </h2>
          <dl className="id-card-lines">
            <div>
              <dt>{t('card.agency')}</dt>
              <dd data-claim="agency">{card.agency}</dd>
            </div>
            <div>
              <dt>{t('card.department')}</dt>
              <dd data-claim="department">{card.department}</dd>
            </div>
            <div>
              <dt>{t('card.position')}</dt>
              <dd data-claim="position">{card.position}</dd>
            </div>
          </dl>
        </div>
      </div>
      <div className="id-card-foot">
        <dl>
          <dt>{t('card.employeeNumber')}</dt>
          <dd data-claim="employee_number">{card.employeeNumber}</dd>
        </dl>
        <dl>
          <dt>{t('card.validity')}</dt>
          <dd data-claim="validity">
            {from
              ? t('card.validityRange', { from, until: formatDate(card.validUntil, lang) })
              : formatDate(card.validUntil, lang)}
          </dd>
        </dl>
      </div>
      <div className="id-card-live" aria-hidden="true" />
    </section>
  );
}
