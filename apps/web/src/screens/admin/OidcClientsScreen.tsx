import { type FormEvent, useState } from 'react';
import {
  AUTH_METHODS,
  type AuthMethod,
  type OidcClient,
  type OidcClientInput,
} from '../../api/oidc-admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { oidcAdmin } from './client.ts';
import { CheckField, Done, Field, Loading, SelectField, ShownOnce, TextField, useLoad } from './ui.tsx';

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * OpenID Connect clients (work systems that sign officials in through Gongjik): list, register
 * (the secret is shown once), edit, disable/enable, rotate the secret, delete; rotate the provider's
 * signing keys.
 */
export function OidcClientsScreen() {
  const { t } = useI18n();
  const clients = useLoad(() => oidcAdmin.list(), 'oidc-clients');
  const [secret, setSecret] = useState<{ title: string; clientId: string; secret: string | null } | null>(
    null,
  );
  const [editing, setEditing] = useState<OidcClient | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = async (work: () => Promise<string>) => {
    setError(null);
    setDone(null);
    try {
      setDone(await work());
      clients.reload();
    } catch (err) {
      setError(err);
    }
  };
  const onDisable = (c: OidcClient) =>
    act(async () => {
      if (!c.disabled && !window.confirm(t('portal.oidc.confirmDisable', { name: c.clientName }))) return '';
      await oidcAdmin.setDisabled(c.clientId, !c.disabled);
      return t(c.disabled ? 'portal.oidc.enabled' : 'portal.oidc.disabledDone', { name: c.clientName });
    });
  const onRotate = (c: OidcClient) =>
    act(async () => {
      if (!window.confirm(t('portal.oidc.confirmRotate', { name: c.clientName }))) return '';
      const r = await oidcAdmin.rotateSecret(c.clientId);
      setSecret({
        title: t('portal.oidc.rotated', { name: c.clientName }),
        clientId: c.clientId,
        secret: r.clientSecret,
      });
      return '';
    });
  const onRemove = (c: OidcClient) =>
    act(async () => {
      if (!window.confirm(t('portal.oidc.confirmRemove', { name: c.clientName }))) return '';
      await oidcAdmin.remove(c.clientId);
      if (editing?.clientId === c.clientId) setEditing(null);
      return t('portal.oidc.removed', { name: c.clientName });
    });
  const onRotateKeys = () =>
    act(async () => {
      if (!window.confirm(t('portal.oidc.confirmKeys'))) return '';
      const r = await oidcAdmin.rotateKeys();
      return t('portal.oidc.keysRotated', { created: r.created, retired: r.retired });
    });
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('portal.oidc.title')}</ScreenHeading>
      <p className="lead">{t('portal.oidc.intro')}</p>
      {secret ? (
        <ShownOnce title={secret.title} value={secret.secret ?? t('portal.oidc.noSecret')}>
          <p>
            {t('portal.oidc.clientIdIs')} <code data-testid="client-id">{secret.clientId}</code>
          </p>
        </ShownOnce>
      ) : null}
      <Loading loading={clients.loading && !clients.value} />
      <ErrorMessage error={clients.error} />
      <ErrorMessage error={error} />
      <Done message={done || null} />
      {clients.value && clients.value.length === 0 ? <p className="empty">{t('portal.oidc.empty')}</p> : null}
      {clients.value && clients.value.length > 0 ? (
        <ClientTable
          clients={clients.value}
          onEdit={(c) => {
            setEditing(c);
            setSecret(null);
          }}
          onDisable={onDisable}
          onRotate={onRotate}
          onRemove={onRemove}
        />
      ) : null}
      {editing ? (
        <ClientForm
          key={editing.clientId}
          editing={editing}
          onCancel={() => setEditing(null)}
          onSaved={(c) => {
            setEditing(null);
            setDone(t('portal.oidc.saved', { name: c.clientName }));
            clients.reload();
          }}
        />
      ) : (
        <ClientForm
          editing={null}
          onSaved={(c, clientSecret) => {
            setSecret({
              title: t('portal.oidc.registered', { name: c.clientName }),
              clientId: c.clientId,
              secret: clientSecret,
            });
            clients.reload();
          }}
        />
      )}
      <div className="form-card stack">
        <h2>{t('portal.oidc.keysTitle')}</h2>
        <p className="hint">{t('portal.oidc.keysHint')}</p>
        <div className="actions">
          <button type="button" className="button button-danger" onClick={onRotateKeys}>
            {t('portal.oidc.rotateKeys')}
          </button>
        </div>
      </div>
    </section>
  );
}

function ClientTable(props: {
  readonly clients: readonly OidcClient[];
  readonly onEdit: (c: OidcClient) => void;
  readonly onDisable: (c: OidcClient) => void;
  readonly onRotate: (c: OidcClient) => void;
  readonly onRemove: (c: OidcClient) => void;
}) {
  const { lang, t } = useI18n();
  return (
    <table className="data-table">
      <caption>{t('portal.oidc.caption', { count: props.clients.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('portal.oidc.name')}</th>
          <th scope="col">{t('portal.oidc.clientId')}</th>
          <th scope="col">{t('portal.oidc.type')}</th>
          <th scope="col">{t('portal.oidc.redirectUris')}</th>
          <th scope="col">{t('portal.oidc.state')}</th>
          <th scope="col">{t('portal.oidc.createdAt')}</th>
          <th scope="col">{t('portal.oidc.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.clients.map((c) => (
          <tr key={c.clientId} data-client={c.clientId}>
            <th scope="row" data-label={t('portal.oidc.name')}>
              {c.clientName}
              {c.firstParty ? (
                <span className="badge badge-info badge-inline">{t('portal.oidc.firstParty')}</span>
              ) : null}
            </th>
            <td data-label={t('portal.oidc.clientId')}>
              <code>{c.clientId}</code>
            </td>
            <td data-label={t('portal.oidc.type')}>{t(`portal.oidc.method.${c.tokenEndpointAuthMethod}`)}</td>
            <td data-label={t('portal.oidc.redirectUris')}>
              <ul className="uri-list">
                {c.redirectUris.map((u) => (
                  <li key={u}>
                    <code>{u}</code>
                  </li>
                ))}
              </ul>
            </td>
            <td data-label={t('portal.oidc.state')}>
              {c.disabled ? (
                <span className="badge badge-blocked">{t('portal.oidc.disabled')}</span>
              ) : (
                <span className="badge badge-ok">{t('portal.oidc.active')}</span>
              )}
            </td>
            <td data-label={t('portal.oidc.createdAt')}>{formatDateTime(c.createdAt, lang)}</td>
            <td data-label={t('portal.oidc.actions')}>
              <div className="actions">
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={t('portal.oidc.editNamed', { name: c.clientName })}
                  onClick={() => props.onEdit(c)}
                >
                  {t('portal.oidc.edit')}
                </button>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  aria-label={t(c.disabled ? 'portal.oidc.enableNamed' : 'portal.oidc.disableNamed', {
                    name: c.clientName,
                  })}
                  onClick={() => props.onDisable(c)}
                >
                  {t(c.disabled ? 'portal.oidc.enable' : 'portal.oidc.disable')}
                </button>
                {c.tokenEndpointAuthMethod !== 'none' ? (
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={t('portal.oidc.rotateNamed', { name: c.clientName })}
                    onClick={() => props.onRotate(c)}
                  >
                    {t('portal.oidc.rotate')}
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button button-danger button-small"
                  aria-label={t('portal.oidc.removeNamed', { name: c.clientName })}
                  onClick={() => props.onRemove(c)}
                >
                  {t('portal.oidc.remove')}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ClientForm(props: {
  readonly editing: OidcClient | null;
  readonly onSaved: (c: OidcClient, clientSecret: string | null) => void;
  readonly onCancel?: () => void;
}) {
  const { t } = useI18n();
  const e = props.editing;
  const [name, setName] = useState(e?.clientName ?? '');
  const [redirects, setRedirects] = useState(e?.redirectUris.join('\n') ?? '');
  const [logouts, setLogouts] = useState(e?.postLogoutRedirectUris.join('\n') ?? '');
  const [method, setMethod] = useState<AuthMethod>(e?.tokenEndpointAuthMethod ?? 'client_secret_basic');
  const [consent, setConsent] = useState(e?.requireConsent ?? false);
  const [refresh, setRefresh] = useState(e?.allowRefresh ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const headingId = e ? 'edit-client' : 'register-client';
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const input: OidcClientInput = {
      clientName: name.trim(),
      redirectUris: lines(redirects),
      postLogoutRedirectUris: lines(logouts),
      requireConsent: consent,
      allowRefresh: refresh,
    };
    try {
      if (e) props.onSaved(await oidcAdmin.update(e.clientId, input), null);
      else {
        const r = await oidcAdmin.register({ ...input, tokenEndpointAuthMethod: method });
        props.onSaved(r.client, r.clientSecret);
        setName('');
        setRedirects('');
        setLogouts('');
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {e ? t('portal.oidc.editTitle', { name: e.clientName }) : t('portal.oidc.register')}
      </h2>
      <div className="form-grid">
        <TextField label={t('portal.oidc.name')} value={name} onChange={setName} required maxLength={200} />
        {e ? null : (
          <SelectField
            label={t('portal.oidc.type')}
            hint={t('portal.oidc.typeHint')}
            value={method}
            onChange={(v) => setMethod(v as AuthMethod)}
            options={AUTH_METHODS.map((m) => ({ value: m, label: t(`portal.oidc.method.${m}`) }))}
          />
        )}
      </div>
      <Field label={t('portal.oidc.redirectUris')} hint={t('portal.oidc.redirectHint')}>
        {(id, describedBy) => (
          <textarea
            id={id}
            className="uri-input"
            rows={3}
            required
            spellCheck={false}
            aria-describedby={describedBy}
            value={redirects}
            onChange={(ev) => setRedirects(ev.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('portal.oidc.logoutUris')} hint={t('portal.oidc.logoutHint')}>
        {(id, describedBy) => (
          <textarea
            id={id}
            className="uri-input"
            rows={2}
            spellCheck={false}
            aria-describedby={describedBy}
            value={logouts}
            onChange={(ev) => setLogouts(ev.currentTarget.value)}
          />
        )}
      </Field>
      <div className="check-list">
        <CheckField label={t('portal.oidc.requireConsent')} checked={consent} onChange={setConsent} />
        <CheckField label={t('portal.oidc.allowRefresh')} checked={refresh} onChange={setRefresh} />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {e ? t('portal.oidc.save') : t('portal.oidc.submit')}
        </button>
        {props.onCancel ? (
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('portal.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
