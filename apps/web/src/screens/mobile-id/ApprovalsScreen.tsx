import { useCallback, useEffect, useState } from 'react';
import { type MidOverview, type MidRequest, OPEN_REQUEST_STATES } from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { mid, withSession } from './client.ts';
import { reasonKey } from './labels.ts';
import { RequestStateBadge, RequestTimeline } from './RequestTimeline.tsx';

interface Queue {
  readonly pending: MidRequest[];
  readonly decided: MidRequest[];
  readonly me: MidOverview;
}

/**
 * The head of department's approval queue: the requests of their staff (approve, or reject with a
 * reason), and their recent decisions. Their own card is decided by the head above them: it is
 * shown apart, and cannot be approved here.
 */
export function ApprovalsScreen() {
  const { lang, t } = useI18n();
  const [queue, setQueue] = useState<Queue | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [deciding, setDeciding] = useState<{ request: MidRequest; approve: boolean } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const q = await withSession(async () => ({ ...(await mid.approvals()), me: await mid.me() }));
      if (q) setQueue(q);
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const decide = async () => {
    if (!deciding || busy) return;
    if (!deciding.approve && !note.trim()) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await mid.decide(deciding.request.id, deciding.approve, note.trim() || null);
      setDone(
        t(deciding.approve ? 'mid.approvals.approved' : 'mid.approvals.rejected', { name: r.realName }),
      );
      setDeciding(null);
      setNote('');
      await load();
    } catch (err) {
      setError(err);
      setDeciding(null);
    } finally {
      setBusy(false);
    }
  };

  const mine = queue?.me.requests.filter((r) => OPEN_REQUEST_STATES.includes(r.state)) ?? [];
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('mid.approvals.title')}</ScreenHeading>
      <p className="lead">{t('mid.approvals.intro')}</p>
      {!queue && !loadError ? (
        <p className="status" role="status">
          {t('mid.loading')}
        </p>
      ) : null}
      <ErrorMessage error={loadError} />
      <ErrorMessage error={error} />
      <p className="status status-done" role="status">
        {done ?? ''}
      </p>
      {queue ? (
        <>
          <div className="alert alert-info self-rule">
            <p className="alert-title">{t('mid.approvals.selfRuleTitle')}</p>
            <p className="alert-body">{t('mid.approvals.selfRule')}</p>
          </div>
          <section aria-labelledby="pending-title">
            <h2 id="pending-title">{t('mid.approvals.pendingTitle', { count: queue.pending.length })}</h2>
            {queue.pending.length === 0 ? <p className="empty">{t('mid.approvals.none')}</p> : null}
            <ul className="request-list">
              {queue.pending.map((r) => {
                const own = r.employeeNumber === queue.me.employeeNumber;
                return (
                  <li key={r.id} data-request={r.id} className={own ? 'is-own' : undefined}>
                    <p className="request-head">
                      <strong>{r.realName}</strong> <span className="muted-code">{r.employeeNumber}</span>{' '}
                      <RequestStateBadge state={r.state} />
                    </p>
                    <p>
                      {t(r.kind === 'first' ? 'mid.kind.first' : 'mid.kind.reissue')} ·{' '}
                      {t(reasonKey(r.reason))} ·{' '}
                      {t('mid.approvals.requestedAt', { at: formatDateTime(r.requestedAt, lang) })}
                    </p>
                    {own ? (
                      <p className="note" data-testid="own-request">
                        {t('mid.approvals.ownCard')}
                      </p>
                    ) : (
                      <div className="actions">
                        <button
                          type="button"
                          className="button button-primary button-small"
                          aria-label={t('mid.approvals.approveNamed', { name: r.realName })}
                          onClick={() => setDeciding({ request: r, approve: true })}
                        >
                          {t('mid.approvals.approve')}
                        </button>
                        <button
                          type="button"
                          className="button button-danger button-small"
                          aria-label={t('mid.approvals.rejectNamed', { name: r.realName })}
                          onClick={() => setDeciding({ request: r, approve: false })}
                        >
                          {t('mid.approvals.reject')}
                        </button>
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
          {mine.length > 0 ? (
            <section aria-labelledby="own-title" className="own-requests">
              <h2 id="own-title">{t('mid.approvals.ownTitle')}</h2>
              <ul className="request-list">
                {mine.map((r) => (
                  <li key={r.id} data-own-request={r.id} className="is-own">
                    <p className="request-head">
                      <strong>{t(r.kind === 'first' ? 'mid.kind.first' : 'mid.kind.reissue')}</strong>{' '}
                      <RequestStateBadge state={r.state} />
                    </p>
                    <p className="note">{t('mid.approvals.ownCard')}</p>
                    <RequestTimeline request={r} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby="decided-title">
            <h2 id="decided-title">{t('mid.approvals.decidedTitle')}</h2>
            {queue.decided.length === 0 ? <p className="empty">{t('mid.approvals.noneDecided')}</p> : null}
            <ul className="request-list">
              {queue.decided.map((r) => (
                <li key={r.id} data-decided={r.id}>
                  <p className="request-head">
                    <strong>{r.realName}</strong> <span className="muted-code">{r.employeeNumber}</span>{' '}
                    <RequestStateBadge state={r.state} />
                  </p>
                  <RequestTimeline request={r} />
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
      {deciding ? (
        <ConfirmDialog
          title={t(
            deciding.approve ? 'mid.approvals.confirmApproveTitle' : 'mid.approvals.confirmRejectTitle',
            {
              name: deciding.request.realName,
            },
          )}
          confirmLabel={t(deciding.approve ? 'mid.approvals.approve' : 'mid.approvals.reject')}
          danger={!deciding.approve}
          busy={busy || (!deciding.approve && !note.trim())}
          onConfirm={decide}
          onCancel={() => {
            setDeciding(null);
            setNote('');
          }}
        >
          <p>
            {t(deciding.approve ? 'mid.approvals.confirmApproveBody' : 'mid.approvals.confirmRejectBody')}
          </p>
          <div className="field">
            <label htmlFor="decision-note">
              {deciding.approve ? t('mid.approvals.noteOptional') : t('mid.approvals.noteRequired')}
            </label>
            <textarea
              id="decision-note"
              rows={3}
              maxLength={500}
              required={!deciding.approve}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
          </div>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
