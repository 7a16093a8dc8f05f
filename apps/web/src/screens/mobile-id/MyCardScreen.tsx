import { useCallback, useEffect, useState } from 'react';
import {
  type MidCard,
  type MidOverview,
  OPEN_REQUEST_STATES,
  REISSUE_REASONS,
  type ReissueReason,
} from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { mid, withSession } from './client.ts';
import { actorText, cardStateKey, reasonKey } from './labels.ts';
import { RequestStateBadge, RequestTimeline } from './RequestTimeline.tsx';

type Action = 'suspend' | 'resume' | 'reissue';

const CARD_BADGE: Readonly<Record<MidCard['state'], string>> = {
  active: 'badge badge-ok',
  suspended: 'badge badge-warn',
  locked: 'badge badge-blocked',
  revoked: 'badge badge-muted',
};

/**
 * The holder's mobile ID: the live card (state, device, validity), what happened to it, the
 * requests; report the phone lost (SUSPENDED at once), reactivate, ask for a reissue — each after
 * a confirmation.
 */
export function MyCardScreen() {
  const { t } = useI18n();
  const [overview, setOverview] = useState<MidOverview | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState<ReissueReason>('phone-change');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const o = await withSession(() => mid.me());
      if (o) setOverview(o);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async () => {
    if (!action || busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      if (action === 'suspend') await mid.suspend();
      else if (action === 'resume') await mid.resume();
      else await mid.reissue(reason);
      setDone(t(`mid.card.done.${action}`));
      setAction(null);
      await load();
    } catch (err) {
      setError(err);
      setAction(null);
    } finally {
      setBusy(false);
    }
  };

  const card = overview?.card ?? null;
  const openRequest = overview?.requests.find((r) => OPEN_REQUEST_STATES.includes(r.state)) ?? null;
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('mid.card.title')}</ScreenHeading>
      <p className="lead">{t('mid.card.intro')}</p>
      {!overview && !loadError ? (
        <p className="status" role="status">
          {t('mid.loading')}
        </p>
      ) : null}
      <ErrorMessage error={loadError} />
      <ErrorMessage error={error} />
      <p className="status status-done" role="status">
        {done ?? ''}
      </p>
      {overview ? (
        <>
          {overview.ineligible ? (
            <div className="alert alert-info" data-code={overview.ineligible}>
              <p className="alert-title">{t('mid.card.ineligibleTitle')}</p>
              <p className="alert-body">{t('mid.card.ineligible')}</p>
              <p className="alert-code">{overview.ineligible}</p>
            </div>
          ) : null}
          {card ? (
            <CardSummary card={card} name={overview.realName} employeeNumber={overview.employeeNumber} />
          ) : (
            <p className="empty">{t('mid.card.none')}</p>
          )}
          <div className="card-actions">
            <h2>{t('mid.card.actionsTitle')}</h2>
            <div className="actions">
              {card?.state === 'active' ? (
                <button type="button" className="button button-danger" onClick={() => setAction('suspend')}>
                  {t('mid.card.reportLost')}
                </button>
              ) : null}
              {card?.state === 'suspended' ? (
                <button type="button" className="button button-primary" onClick={() => setAction('resume')}>
                  {t('mid.card.reactivate')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button-secondary"
                disabled={openRequest !== null || overview.ineligible !== null}
                aria-describedby={openRequest ? 'reissue-open' : undefined}
                onClick={() => setAction('reissue')}
              >
                {t('mid.card.requestReissue')}
              </button>
            </div>
            {openRequest ? (
              <p className="hint" id="reissue-open">
                {t('mid.card.requestOpen')}
              </p>
            ) : null}
            {card?.state === 'suspended' ? <p className="hint">{t('mid.card.resumeHint')}</p> : null}
          </div>
          <Requests overview={overview} />
          <History overview={overview} />
        </>
      ) : null}
      {action === 'suspend' ? (
        <ConfirmDialog
          title={t('mid.card.confirmLostTitle')}
          confirmLabel={t('mid.card.confirmLost')}
          danger
          busy={busy}
          onConfirm={run}
          onCancel={() => setAction(null)}
        >
          <p>{t('mid.card.confirmLostBody')}</p>
        </ConfirmDialog>
      ) : null}
      {action === 'resume' ? (
        <ConfirmDialog
          title={t('mid.card.confirmResumeTitle')}
          confirmLabel={t('mid.card.confirmResume')}
          busy={busy}
          onConfirm={run}
          onCancel={() => setAction(null)}
        >
          <p>{t('mid.card.confirmResumeBody')}</p>
        </ConfirmDialog>
      ) : null}
      {action === 'reissue' ? (
        <ConfirmDialog
          title={t('mid.card.confirmReissueTitle')}
          confirmLabel={t('mid.card.confirmReissue')}
          busy={busy}
          onConfirm={run}
          onCancel={() => setAction(null)}
        >
          <p>{t('mid.card.confirmReissueBody')}</p>
          <div className="field">
            <label htmlFor="reissue-reason">{t('mid.card.reason')}</label>
            <select
              id="reissue-reason"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value as ReissueReason)}
            >
              {REISSUE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(reasonKey(r))}
                </option>
              ))}
            </select>
          </div>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function CardSummary(props: {
  readonly card: MidCard;
  readonly name: string;
  readonly employeeNumber: string;
}) {
  const { lang, t } = useI18n();
  const c = props.card;
  const at = (iso: string) => formatDateTime(iso, lang);
  return (
    <section className="mid-card" aria-labelledby="my-card" data-state={c.state}>
      <div className="mid-card-head">
        <h2 id="my-card">
          {props.name} <span className="muted-code">{props.employeeNumber}</span>
        </h2>
        <span className={CARD_BADGE[c.state]} data-testid="card-state">
          {t(cardStateKey(c.state))}
        </span>
      </div>
      {c.state === 'suspended' ? <p className="note">{t('mid.card.suspendedNote')}</p> : null}
      <dl className="facts">
        <div>
          <dt>{t('mid.card.validity')}</dt>
          <dd>{t('mid.card.validRange', { from: at(c.issuedAt), until: at(c.validUntil) })}</dd>
        </div>
        <div>
          <dt>{t('mid.card.device')}</dt>
          <dd>
            {t('mid.card.deviceKey')}{' '}
            <code title={c.deviceKeyThumbprint}>{c.deviceKeyThumbprint.slice(0, 12)}…</code>
          </dd>
        </div>
        <div>
          <dt>{t('mid.card.pin')}</dt>
          <dd>
            {c.pinSet ? t('mid.card.pinSet') : t('mid.card.pinNotSet')}
            {c.pinFailures > 0 ? ` · ${t('mid.card.pinFailures', { count: c.pinFailures })}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('mid.card.lastUnlock')}</dt>
          <dd>{c.lastUnlockAt ? at(c.lastUnlockAt) : t('mid.card.never')}</dd>
        </div>
        <div>
          <dt>{t('mid.card.stateChanged')}</dt>
          <dd>{t('mid.card.changedBy', { at: at(c.stateChangedAt), by: actorOf(c.stateChangedBy, t) })}</dd>
        </div>
        {c.reissueDueAt ? (
          <div>
            <dt>{t('mid.card.reissueDue')}</dt>
            <dd>{at(c.reissueDueAt)}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

function actorOf(actor: string, t: ReturnType<typeof useI18n>['t']): string {
  return actor.startsWith('account:') || actor.startsWith('person:')
    ? t('mid.actor.you')
    : actorText(actor, t);
}

function Requests(props: { readonly overview: MidOverview }) {
  const { t } = useI18n();
  const requests = props.overview.requests;
  return (
    <section aria-labelledby="my-requests">
      <h2 id="my-requests">{t('mid.card.requestsTitle')}</h2>
      {requests.length === 0 ? (
        <p className="empty">{t('mid.card.noRequests')}</p>
      ) : (
        <ul className="request-list">
          {requests.map((r) => (
            <li key={r.id} data-request={r.id} data-state={r.state}>
              <p className="request-head">
                <strong>
                  {t(r.kind === 'first' ? 'mid.kind.first' : 'mid.kind.reissue')} · {t(reasonKey(r.reason))}
                </strong>{' '}
                <RequestStateBadge state={r.state} />
              </p>
              <RequestTimeline request={r} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History(props: { readonly overview: MidOverview }) {
  const { lang, t } = useI18n();
  const cards = props.overview.history;
  if (cards.length === 0) return null;
  return (
    <table className="data-table">
      <caption>{t('mid.card.historyCaption', { count: cards.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('mid.card.issued')}</th>
          <th scope="col">{t('mid.card.state')}</th>
          <th scope="col">{t('mid.card.device')}</th>
          <th scope="col">{t('mid.card.stateChanged')}</th>
        </tr>
      </thead>
      <tbody>
        {cards.map((c) => (
          <tr key={c.id}>
            <th scope="row" data-label={t('mid.card.issued')}>
              {formatDateTime(c.issuedAt, lang)}
            </th>
            <td data-label={t('mid.card.state')}>
              <span className={CARD_BADGE[c.state]}>{t(cardStateKey(c.state))}</span>
              {c.revokeReason ? <span className="muted-code"> {c.revokeReason}</span> : null}
            </td>
            <td data-label={t('mid.card.device')}>
              <code>{c.deviceKeyThumbprint.slice(0, 12)}…</code>
            </td>
            <td data-label={t('mid.card.stateChanged')}>{formatDateTime(c.stateChangedAt, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
