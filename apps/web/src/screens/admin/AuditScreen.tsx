import { formatMessage, isErrorCode } from '@gongjik/errors';
import { type FormEvent, useEffect, useState } from 'react';
import { AUDIT_OUTCOMES, type AuditEntry, type AuditFilters } from '../../api/admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import {
  auditQuery,
  detailsText,
  type AuditForm as Form,
  INITIAL_AUDIT_FORM as INITIAL,
  PAGE_SIZES,
} from './audit-query.ts';
import { admin } from './client.ts';
import { outcomeKey } from './labels.ts';
import { Loading, SelectField, TextField } from './ui.tsx';

interface Results {
  readonly filters: AuditFilters;
  readonly entries: AuditEntry[];
  readonly nextCursor: string | null;
}

/** The audit log, newest first, with filters and "more" (cursor paging). */
export function AuditScreen() {
  const { t } = useI18n();
  const [form, setForm] = useState<Form>(INITIAL);
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const load = async (filters: AuditFilters, previous: Results | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await admin.queryAudit(filters, previous?.nextCursor ?? null);
      setResults({
        filters,
        entries: [...(previous?.entries ?? []), ...page.entries],
        nextCursor: page.nextCursor,
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // The newest entries, unfiltered, when the screen opens.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount.
  useEffect(() => {
    void load(auditQuery(INITIAL), null);
  }, []);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!busy) void load(auditQuery(form), null);
  };
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.audit.title')}</ScreenHeading>
      <form className="stack form-card" aria-label={t('admin.filter.label')} onSubmit={onSubmit}>
        <div className="form-grid">
          <TextField
            label={t('admin.audit.action')}
            hint={t('admin.audit.actionHint')}
            value={form.action}
            onChange={(action) => set({ action })}
            maxLength={100}
          />
          <TextField
            label={t('admin.audit.actor')}
            hint={t('admin.audit.actorHint')}
            value={form.actor}
            onChange={(actor) => set({ actor })}
            maxLength={200}
          />
          <TextField
            label={t('admin.audit.target')}
            hint={t('admin.audit.targetHint')}
            value={form.target}
            onChange={(target) => set({ target })}
            maxLength={200}
          />
          <SelectField
            label={t('admin.audit.outcome')}
            value={form.outcome}
            onChange={(v) => set({ outcome: v as Form['outcome'] })}
            options={[
              { value: '', label: t('admin.filter.all') },
              ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(outcomeKey(o)) })),
            ]}
          />
          <TextField
            label={t('admin.audit.from')}
            type="date"
            value={form.from}
            onChange={(from) => set({ from })}
          />
          <TextField label={t('admin.audit.to')} type="date" value={form.to} onChange={(to) => set({ to })} />
          <SelectField
            label={t('admin.audit.pageSize')}
            value={form.limit}
            onChange={(limit) => set({ limit })}
            options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('admin.audit.search')}
        </button>
      </form>
      <Loading loading={busy} />
      <ErrorMessage error={error} />
      {results ? <AuditTable entries={results.entries} /> : null}
      {results?.nextCursor ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={busy}
          onClick={() => void load(results.filters, results)}
        >
          {t('admin.loadMore')}
        </button>
      ) : null}
    </section>
  );
}

function AuditTable(props: { readonly entries: readonly AuditEntry[] }) {
  const { lang, t } = useI18n();
  if (props.entries.length === 0) return <p className="empty">{t('admin.audit.empty')}</p>;
  return (
    <table className="data-table audit-table">
      <caption>{t('admin.audit.caption', { count: props.entries.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.audit.at')}</th>
          <th scope="col">{t('admin.audit.action')}</th>
          <th scope="col">{t('admin.audit.actor')}</th>
          <th scope="col">{t('admin.audit.target')}</th>
          <th scope="col">{t('admin.audit.outcome')}</th>
          <th scope="col">{t('admin.audit.details')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td data-label={t('admin.audit.at')}>{formatDateTime(e.at, lang)}</td>
            <th scope="row" data-label={t('admin.audit.action')}>
              <code>{e.action}</code>
            </th>
            <td data-label={t('admin.audit.actor')}>
              <code>{e.actor}</code>
            </td>
            <td data-label={t('admin.audit.target')} className="audit-target">
              {e.target ? <code>{e.target}</code> : '—'}
            </td>
            <td data-label={t('admin.audit.outcome')}>
              <span className={e.outcome === 'success' ? 'badge badge-ok' : 'badge badge-blocked'}>
                {t(outcomeKey(e.outcome))}
              </span>
              {e.code ? (
                <span className="audit-code">
                  <code>{e.code}</code>
                  {isErrorCode(e.code) ? ` ${formatMessage(e.code, lang, {})}` : null}
                </span>
              ) : null}
            </td>
            <td data-label={t('admin.audit.details')} className="audit-details">
              {Object.keys(e.details).length > 0 ? <code>{detailsText(e.details)}</code> : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
