// The Sejong government complex library desk (/library): checks a borrower's mobile ID asking for
// name, agency and employee number only (the server refuses a presentation that discloses more).
import { useState } from 'react';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { type LibraryCard, libraryCardOf } from './api.ts';
import { PresentationRequestView } from './PresentationRequestView.tsx';

const BODY = { mode: 'cross-device' } as const;

export default function LibraryScreen() {
  const { t, lang } = useI18n();
  const [card, setCard] = useState<LibraryCard | null>(null);
  const [round, setRound] = useState(0);
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('library.title')}</ScreenHeading>
      <p className="lead">{t('library.intro')}</p>
      {card ? (
        <div className="library-card" role="status">
          <h2>{t('library.verified')}</h2>
          <dl>
            <dt>{t('library.name')}</dt>
            <dd data-claim="name">{card.name}</dd>
            <dt>{t('library.agency')}</dt>
            <dd data-claim="agency">{card.agency}</dd>
            <dt>{t('library.employeeNumber')}</dt>
            <dd data-claim="employee_number">{card.employeeNumber}</dd>
            <dt>{t('library.verifiedAt')}</dt>
            <dd>{formatDateTime(card.verifiedAt, lang)}</dd>
          </dl>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setCard(null);
              setRound((r) => r + 1);
            }}
          >
            {t('library.next')}
          </button>
        </div>
      ) : (
        <PresentationRequestView
          key={round}
          path="/api/v1/library/requests"
          body={BODY}
          startLabel="library.start"
          onDone={(answer) => setCard(libraryCardOf(answer))}
        />
      )}
    </section>
  );
}
