import { type FormEvent, useState } from 'react';
import { HR_SYSTEMS, type HrKey, type HrSystem } from '../../api/admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { admin } from './client.ts';
import { hrSystemKey } from './labels.ts';
import { Done, Loading, SelectField, ShownOnce, TextField, useConfirmedAction, useLoad } from './ui.tsx';

/** API keys of the HR systems (e-사람, 인사랑): create (the key is shown once), list, revoke. */
export function HrKeysScreen() {
  const { t } = useI18n();
  const keys = useLoad(() => admin.listHrKeys(), 'hr-keys');
  const [created, setCreated] = useState<(HrKey & { key: string }) | null>(null);
  const revocation = useConfirmedAction();
  const revoke = (key: HrKey) =>
    revocation.run(
      t('admin.hrKeys.confirmRevoke', { label: key.label }),
      async () => {
        await admin.revokeHrKey(key.id);
        keys.reload();
      },
      t('admin.hrKeys.revoked', { label: key.label }),
    );
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.hrKeys.title')}</ScreenHeading>
      <p className="lead">{t('admin.hrKeys.intro')}</p>
      <CreateKey
        onCreated={(k) => {
          setCreated(k);
          keys.reload();
        }}
      />
      {created ? (
        <ShownOnce title={t('admin.hrKeys.created', { label: created.label })} value={created.key} />
      ) : null}
      <Loading loading={keys.loading && !keys.value} />
      <ErrorMessage error={keys.error} />
      <ErrorMessage error={revocation.error} />
      <Done message={revocation.done} />
      {keys.value && keys.value.length === 0 ? <p className="empty">{t('admin.hrKeys.empty')}</p> : null}
      {keys.value && keys.value.length > 0 ? <KeyTable keys={keys.value} onRevoke={revoke} /> : null}
    </section>
  );
}

function KeyTable(props: { readonly keys: readonly HrKey[]; readonly onRevoke: (k: HrKey) => void }) {
  const { lang, t } = useI18n();
  return (
    <table className="data-table">
      <caption>{t('admin.hrKeys.caption', { count: props.keys.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.hrKey.label')}</th>
          <th scope="col">{t('admin.hrKey.system')}</th>
          <th scope="col">{t('admin.hrKey.prefix')}</th>
          <th scope="col">{t('admin.hrKey.createdAt')}</th>
          <th scope="col">{t('admin.hrKey.lastUsedAt')}</th>
          <th scope="col">{t('admin.hrKey.state')}</th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((k) => (
          <tr key={k.id} data-key={k.id}>
            <th scope="row" data-label={t('admin.hrKey.label')}>
              {k.label}
            </th>
            <td data-label={t('admin.hrKey.system')}>{t(hrSystemKey(k.system))}</td>
            <td data-label={t('admin.hrKey.prefix')}>
              <code>{k.prefix}…</code>
            </td>
            <td data-label={t('admin.hrKey.createdAt')}>{formatDateTime(k.createdAt, lang)}</td>
            <td data-label={t('admin.hrKey.lastUsedAt')}>
              {k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang) : t('admin.hrKey.neverUsed')}
            </td>
            <td data-label={t('admin.hrKey.state')}>
              {k.revokedAt ? (
                <span className="badge badge-blocked">
                  {t('admin.hrKey.revokedAt', { at: formatDateTime(k.revokedAt, lang) })}
                </span>
              ) : (
                <button
                  type="button"
                  className="button button-danger button-small"
                  aria-label={t('admin.hrKeys.revokeNamed', { label: k.label })}
                  onClick={() => props.onRevoke(k)}
                >
                  {t('admin.hrKeys.revoke')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreateKey(props: { readonly onCreated: (k: HrKey & { key: string }) => void }) {
  const { t } = useI18n();
  const [system, setSystem] = useState<HrSystem>('e-saram');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await admin.createHrKey({ system, label: label.trim() }));
      setLabel('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="create-key">
      <h2 id="create-key">{t('admin.hrKeys.create')}</h2>
      <div className="form-grid">
        <SelectField
          label={t('admin.hrKey.system')}
          value={system}
          onChange={(v) => setSystem(v as HrSystem)}
          options={HR_SYSTEMS.map((s) => ({ value: s, label: t(hrSystemKey(s)) }))}
        />
        <TextField
          label={t('admin.hrKey.label')}
          hint={t('admin.hrKey.labelHint')}
          value={label}
          onChange={setLabel}
          required
          maxLength={100}
        />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('admin.hrKeys.submit')}
      </button>
    </form>
  );
}
