// 수신확인 and 발송취소 on a sent message: per recipient delivered / read at / recalled (internal),
// queued / sent / failed (external); recall after a confirmation, with each recipient's outcome
// (a copy already read cannot be recalled). Shows nothing for a message that has no receipts
// (received mail).
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n/context.tsx';
import type { MessageKey } from '../../../i18n/ko.ts';
import { formatDateTime } from '../../../ui/datetime.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { type RecallOutcome, type Receipt, send } from '../compose/send-api.ts';

const STATE_LABEL: Readonly<Record<Receipt['state'], MessageKey>> = {
  delivered: 'receipts.state.delivered',
  read: 'receipts.state.read',
  recalled: 'receipts.state.recalled',
  deleted: 'receipts.state.deleted',
  queued: 'receipts.state.queued',
  sent: 'receipts.state.sent',
  failed: 'receipts.state.failed',
};

const OUTCOME_LABEL: Readonly<Record<RecallOutcome, MessageKey>> = {
  recalled: 'receipts.outcome.recalled',
  'already-read': 'receipts.outcome.alreadyRead',
  'already-recalled': 'receipts.outcome.alreadyRecalled',
  deleted: 'receipts.outcome.deleted',
  'not-recallable': 'receipts.outcome.notRecallable',
};

export function ReceiptsPanel({ messageId }: { messageId: string }) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Receipt[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ address: string; outcome: RecallOutcome }[] | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await send.receipts(messageId));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [messageId]);

  useEffect(() => {
    setList(null);
    setResult(null);
    setConfirming(false);
    void load();
  }, [load]);

  if (error && !list) return <ErrorMessage error={error} />;
  if (!list || list.length === 0) return null;

  const unread = list.filter((r) => r.internal && r.state === 'delivered').length;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : '—');

  const recall = async () => {
    setBusy(true);
    try {
      const r = await send.recall(messageId);
      setResult(r.recipients);
      setConfirming(false);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="receipts" aria-labelledby={`receipts-${messageId}`}>
      <div className="receipts-head">
        <h3 id={`receipts-${messageId}`}>{t('receipts.title')}</h3>
        <button type="button" className="button button-small button-quiet" onClick={() => void load()}>
          {t('receipts.refresh')}
        </button>
      </div>
      <table className="data-table receipts-table">
        <caption className="visually-hidden">{t('receipts.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('receipts.recipient')}</th>
            <th scope="col">{t('receipts.status')}</th>
            <th scope="col">{t('receipts.time')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.address} data-address={r.address} data-state={r.state}>
              <td data-label={t('receipts.recipient')}>{r.address}</td>
              <td data-label={t('receipts.status')}>
                <span className={`badge receipt-${r.state}`}>{t(STATE_LABEL[r.state])}</span>
                {r.detail ? <span className="receipt-detail"> {r.detail}</span> : null}
              </td>
              <td data-label={t('receipts.time')}>
                {r.state === 'read'
                  ? when(r.readAt)
                  : r.state === 'recalled'
                    ? when(r.recalledAt)
                    : when(r.deliveredAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorMessage error={list ? error : null} />
      {result ? (
        <div className="recall-result" role="status">
          <p>{t('receipts.recallDone', { count: result.filter((r) => r.outcome === 'recalled').length })}</p>
          <ul>
            {result.map((r) => (
              <li key={r.address} data-outcome={r.outcome}>
                {r.address}: {t(OUTCOME_LABEL[r.outcome])}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {unread > 0 && !confirming ? (
        <button
          type="button"
          className="button button-danger button-small"
          onClick={() => setConfirming(true)}
        >
          {t('receipts.recall')}
        </button>
      ) : null}
      {unread === 0 && !result ? <p className="hint">{t('receipts.nothingToRecall')}</p> : null}
      {confirming ? (
        <div className="recall-confirm">
          <p id={`recall-q-${messageId}`}>{t('receipts.recallConfirm', { count: unread })}</p>
          <button
            type="button"
            className="button button-danger button-small"
            disabled={busy}
            onClick={() => void recall()}
          >
            {t('receipts.recallYes')}
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={busy}
            onClick={() => setConfirming(false)}
          >
            {t('receipts.recallNo')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
