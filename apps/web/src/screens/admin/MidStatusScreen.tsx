import { CARD_STATES, type MidCounts, REQUEST_STATES, type StatusList } from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { cardStateKey, requestStateKey } from '../mobile-id/labels.ts';
import { midAdmin } from './client.ts';
import { Loading, useLoad } from './ui.tsx';

/** Administrators: requests and cards by state, and the published status lists. */
export function MidStatusScreen() {
  const { t } = useI18n();
  const data = useLoad(
    async () => ({ counts: await midAdmin.counts(), lists: await midAdmin.statusLists() }),
    'mid-status',
  );
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('portal.status.title')}</ScreenHeading>
      <p className="lead">{t('portal.status.intro')}</p>
      <Loading loading={data.loading && !data.value} />
      <ErrorMessage error={data.error} />
      {data.value ? <Counts counts={data.value.counts} /> : null}
      {data.value ? <Lists lists={data.value.lists} /> : null}
      <button type="button" className="button button-secondary" onClick={data.reload}>
        {t('portal.status.refresh')}
      </button>
    </section>
  );
}

function Counts(props: { readonly counts: MidCounts }) {
  const { t } = useI18n();
  return (
    <div className="count-groups">
      <section aria-labelledby="count-cards" className="count-group">
        <h2 id="count-cards">{t('portal.status.cards')}</h2>
        <dl className="counts">
          {CARD_STATES.map((s) => (
            <div key={s} data-count={`card-${s}`}>
              <dt>{t(cardStateKey(s))}</dt>
              <dd>{props.counts.cards[s]}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="count-requests" className="count-group">
        <h2 id="count-requests">{t('portal.status.requests')}</h2>
        <dl className="counts">
          {REQUEST_STATES.map((s) => (
            <div key={s} data-count={`request-${s}`}>
              <dt>{t(requestStateKey(s))}</dt>
              <dd>{props.counts.requests[s]}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

function Lists(props: { readonly lists: readonly StatusList[] }) {
  const { lang, t } = useI18n();
  if (props.lists.length === 0) return <p className="empty">{t('portal.status.noLists')}</p>;
  return (
    <table className="data-table">
      <caption>{t('portal.status.listsCaption', { count: props.lists.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('portal.status.list')}</th>
          <th scope="col">{t('portal.status.allocated')}</th>
          <th scope="col">{t('portal.status.byState')}</th>
          <th scope="col">{t('portal.status.version')}</th>
          <th scope="col">{t('portal.status.createdAt')}</th>
        </tr>
      </thead>
      <tbody>
        {props.lists.map((l) => (
          <tr key={l.id} data-list={l.id}>
            <th scope="row" data-label={t('portal.status.list')}>
              <a href={`/api/v1/mid/status/${l.id}`}>#{l.id}</a>
              {l.closedAt ? <span className="muted-code"> {t('portal.status.closed')}</span> : null}
            </th>
            <td data-label={t('portal.status.allocated')}>
              {t('portal.status.ofSize', { allocated: l.allocated, size: l.size })}
            </td>
            <td data-label={t('portal.status.byState')}>
              {CARD_STATES.map((s) => `${t(cardStateKey(s))} ${l.cards[s]}`).join(' · ')}
            </td>
            <td data-label={t('portal.status.version')}>{l.version}</td>
            <td data-label={t('portal.status.createdAt')}>{formatDateTime(l.createdAt, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
