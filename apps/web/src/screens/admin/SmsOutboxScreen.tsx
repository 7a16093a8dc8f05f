import { useState } from 'react';
import { SMS_STATES, type SmsMessage, type SmsState } from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { smsStateKey } from '../mobile-id/labels.ts';
import { midAdmin } from './client.ts';
import { Done, Loading, SelectField, TextField, useLoad } from './ui.tsx';

/**
 * Administrators: the text messages the server sent (the outbox provider keeps them here; the
 * webhook provider queues them and erases the body once the gateway took it). Bodies hold install
 * links and one-time codes.
 */
export function SmsOutboxScreen() {
  const { t } = useI18n();
  const [state, setState] = useState<SmsState | ''>('');
  const [to, setTo] = useState('');
  const [applied, setApplied] = useState({ state: '' as SmsState | '', to: '' });
  const messages = useLoad(
    () => midAdmin.sms({ state: applied.state, to: applied.to, limit: 200 }),
    `sms:${applied.state}:${applied.to}`,
  );
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const runJobs = async () => {
    setError(null);
    setDone(null);
    try {
      await midAdmin.runJobs();
      setDone(t('portal.sms.jobsDone'));
      messages.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('portal.sms.title')}</ScreenHeading>
      <p className="lead">{t('portal.sms.intro')}</p>
      <form
        className="filters form-card"
        aria-label={t('portal.sms.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ state, to: to.trim() });
        }}
      >
        <SelectField
          label={t('portal.sms.state')}
          value={state}
          onChange={(v) => setState(v as SmsState | '')}
          options={[
            { value: '', label: t('portal.mid.allStates') },
            ...SMS_STATES.map((s) => ({ value: s, label: t(smsStateKey(s)) })),
          ]}
        />
        <TextField label={t('portal.sms.to')} type="tel" value={to} onChange={setTo} maxLength={20} />
        <div className="filters-submit actions">
          <button type="submit" className="button button-secondary">
            {t('portal.mid.applyFilters')}
          </button>
          <button type="button" className="button button-secondary" onClick={runJobs}>
            {t('portal.sms.runJobs')}
          </button>
        </div>
      </form>
      <Loading loading={messages.loading && !messages.value} />
      <ErrorMessage error={messages.error} />
      <ErrorMessage error={error} />
      <Done message={done} />
      {messages.value && messages.value.length === 0 ? (
        <p className="empty">{t('portal.sms.empty')}</p>
      ) : null}
      {messages.value && messages.value.length > 0 ? <SmsTable messages={messages.value} /> : null}
    </section>
  );
}

/** URLs in a message body become links (the demo opens the wallet from here). */
function Body(props: { readonly text: string }) {
  const parts = props.text.split(/(https?:\/\/\S+)/g);
  return (
    <p className="sms-body">
      {parts.map((p, i) =>
        /^https?:\/\//.test(p) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <a key={i} href={p} rel="noopener noreferrer" target="_blank">
            {p}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <span key={i}>{p}</span>
        ),
      )}
    </p>
  );
}

function SmsTable(props: { readonly messages: readonly SmsMessage[] }) {
  const { lang, t } = useI18n();
  return (
    <table className="data-table sms-table">
      <caption>{t('portal.sms.caption', { count: props.messages.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('portal.sms.createdAt')}</th>
          <th scope="col">{t('portal.sms.to')}</th>
          <th scope="col">{t('portal.sms.kind')}</th>
          <th scope="col">{t('portal.sms.state')}</th>
          <th scope="col">{t('portal.sms.body')}</th>
        </tr>
      </thead>
      <tbody>
        {props.messages.map((m) => (
          <tr key={m.id} data-sms={m.id} data-kind={m.kind}>
            <td data-label={t('portal.sms.createdAt')}>{formatDateTime(m.createdAt, lang)}</td>
            <th scope="row" data-label={t('portal.sms.to')}>
              {m.to}
            </th>
            <td data-label={t('portal.sms.kind')}>
              {m.kind === 'mid-install'
                ? t('portal.sms.kindInstall')
                : m.kind === 'mid-code'
                  ? t('portal.sms.kindCode')
                  : m.kind}
            </td>
            <td data-label={t('portal.sms.state')}>
              <span className={m.state === 'failed' ? 'badge badge-blocked' : 'badge badge-info'}>
                {t(smsStateKey(m.state))}
              </span>
              {m.attempts > 0 ? (
                <span className="muted-code"> {t('portal.sms.attempts', { count: m.attempts })}</span>
              ) : null}
              {m.lastError ? <span className="muted-code"> {m.lastError}</span> : null}
            </td>
            <td data-label={t('portal.sms.body')}>
              {m.body ? <Body text={m.body} /> : <span className="muted-code">{t('portal.sms.erased')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
