import { type FormEvent, useState } from 'react';
import { AGENCY_TYPES, type Agency, type AgencyType } from '../../api/admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { admin, oidcAdmin } from './client.ts';
import { agencyTypeKey } from './labels.ts';
import { CheckField, Done, Loading, SelectField, TextField, useLoad } from './ui.tsx';

/** Agencies: the list (public institutions flagged as not eligible) and a form to register one. */
export function AgenciesScreen() {
  const { t } = useI18n();
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.agencies.title')}</ScreenHeading>
      <p className="lead">{t('admin.agencies.intro')}</p>
      <Loading loading={agencies.loading && !agencies.value} />
      <ErrorMessage error={agencies.error} />
      {agencies.value ? <AgencyTable agencies={agencies.value} onChanged={agencies.reload} /> : null}
      <CreateAgency onCreated={agencies.reload} />
    </section>
  );
}

function AgencyTable(props: { readonly agencies: readonly Agency[]; readonly onChanged: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  if (props.agencies.length === 0) return <p className="empty">{t('admin.agencies.empty')}</p>;
  const editingAgency = props.agencies.find((a) => a.code === editing) ?? null;
  const toggle = async (a: Agency) => {
    setError(null);
    setDone(null);
    const next = !a.mobileIdAdopted;
    if (
      !window.confirm(
        t(next ? 'portal.agency.confirmAdopt' : 'portal.agency.confirmUnadopt', { name: a.name }),
      )
    )
      return;
    try {
      await oidcAdmin.updateAgency(a.code, { mobileIdAdopted: next });
      setDone(t(next ? 'portal.agency.adopted' : 'portal.agency.unadopted', { name: a.name }));
      props.onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <ErrorMessage error={error} />
      <Done message={done} />
      <table className="data-table">
        <caption>{t('admin.agencies.caption', { count: props.agencies.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.agency.code')}</th>
            <th scope="col">{t('admin.agency.name')}</th>
            <th scope="col">{t('admin.agency.type')}</th>
            <th scope="col">{t('admin.agency.mailDomain')}</th>
            <th scope="col">{t('admin.agency.mobileId')}</th>
            <th scope="col">{t('admin.agency.signup')}</th>
            <th scope="col">{t('support.admin.column')}</th>
          </tr>
        </thead>
        <tbody>
          {props.agencies.map((a) => (
            <tr key={a.code} data-agency={a.code}>
              <td data-label={t('admin.agency.code')}>
                <code>{a.code}</code>
              </td>
              <th scope="row" data-label={t('admin.agency.name')}>
                {a.name}
              </th>
              <td data-label={t('admin.agency.type')}>{t(agencyTypeKey(a.type))}</td>
              <td data-label={t('admin.agency.mailDomain')}>
                {a.mailDomain ?? t('admin.agency.defaultDomain')}
              </td>
              <td data-label={t('admin.agency.mobileId')}>
                <span className="cell-with-action">
                  <span className={a.mobileIdAdopted ? 'badge badge-ok' : 'badge badge-info'}>
                    {a.mobileIdAdopted ? t('portal.agency.adoptedBadge') : t('portal.agency.notAdoptedBadge')}
                  </span>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={t(
                      a.mobileIdAdopted ? 'portal.agency.unadoptNamed' : 'portal.agency.adoptNamed',
                      {
                        name: a.name,
                      },
                    )}
                    onClick={() => toggle(a)}
                  >
                    {t(a.mobileIdAdopted ? 'portal.agency.unadopt' : 'portal.agency.adopt')}
                  </button>
                </span>
              </td>
              <td data-label={t('admin.agency.signup')}>
                {a.signupEligible ? (
                  <span className="badge badge-ok">{t('admin.agency.eligible')}</span>
                ) : (
                  <span className="badge badge-blocked">{t('admin.agency.notEligible')}</span>
                )}
              </td>
              <td data-label={t('support.admin.column')}>
                <span className="cell-with-action">
                  <span data-officer>
                    {a.securityOfficer
                      ? `${a.securityOfficer.name} · ${a.securityOfficer.phone} · ${a.securityOfficer.email}`
                      : t('support.admin.none')}
                  </span>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-label={t('support.admin.editNamed', { name: a.name })}
                    aria-expanded={editing === a.code}
                    aria-controls="security-officer-form"
                    onClick={() => {
                      setDone(null);
                      setEditing(editing === a.code ? null : a.code);
                    }}
                  >
                    {t('support.admin.edit')}
                  </button>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editingAgency ? (
        <SecurityOfficerForm
          key={editingAgency.code}
          agency={editingAgency}
          onCancel={() => setEditing(null)}
          onSaved={(message) => {
            setEditing(null);
            setDone(message);
            props.onChanged();
          }}
        />
      ) : null}
    </>
  );
}

/** Sets, changes or removes the agency's security officer; the server's refusal is shown as is. */
function SecurityOfficerForm(props: {
  readonly agency: Agency;
  readonly onCancel: () => void;
  readonly onSaved: (message: string) => void;
}) {
  const { t } = useI18n();
  const current = props.agency.securityOfficer;
  const [name, setName] = useState(current?.name ?? '');
  const [phone, setPhone] = useState(current?.phone ?? '');
  const [email, setEmail] = useState(current?.email ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (securityOfficer: { name: string; phone: string; email: string } | null) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await oidcAdmin.updateAgency(props.agency.code, { securityOfficer });
      props.onSaved(
        t(securityOfficer ? 'support.admin.saved' : 'support.admin.cleared', { name: props.agency.name }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save({ name: name.trim(), phone: phone.trim(), email: email.trim() });
  };
  const onClear = () => {
    if (!window.confirm(t('support.admin.confirmClear', { name: props.agency.name }))) return;
    void save(null);
  };
  return (
    <form
      id="security-officer-form"
      className="stack form-card"
      onSubmit={onSubmit}
      aria-labelledby="security-officer-title"
      noValidate
    >
      <h2 id="security-officer-title">{t('support.admin.formTitle', { name: props.agency.name })}</h2>
      <div className="form-grid">
        <TextField
          label={t('support.admin.name')}
          value={name}
          onChange={setName}
          required
          maxLength={50}
          name="officerName"
        />
        <TextField
          label={t('support.admin.phone')}
          hint={t('support.admin.phoneHint')}
          value={phone}
          onChange={setPhone}
          required
          type="tel"
          inputMode="tel"
          maxLength={20}
          name="officerPhone"
        />
        <TextField
          label={t('support.admin.email')}
          value={email}
          onChange={setEmail}
          required
          type="email"
          inputMode="email"
          maxLength={254}
          name="officerEmail"
        />
      </div>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {t('support.admin.save')}
        </button>
        {current ? (
          <button type="button" className="button button-secondary" disabled={busy} onClick={onClear}>
            {t('support.admin.clear')}
          </button>
        ) : null}
        <button type="button" className="button button-secondary" disabled={busy} onClick={props.onCancel}>
          {t('support.admin.cancel')}
        </button>
      </div>
    </form>
  );
}

function CreateAgency(props: { readonly onCreated: () => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState<AgencyType>('central');
  const [mailDomain, setMailDomain] = useState('');
  const [mobileId, setMobileId] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const created = await admin.createAgency({
        code: code.trim(),
        name: name.trim(),
        type,
        mobileIdAdopted: mobileId,
        mailDomain: mailDomain.trim() || null,
      });
      setDone(t('admin.agencies.created', { name: created.name }));
      setCode('');
      setName('');
      setMailDomain('');
      setMobileId(false);
      props.onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="create-agency">
      <h2 id="create-agency">{t('admin.agencies.create')}</h2>
      <div className="form-grid">
        <TextField
          label={t('admin.agency.code')}
          hint={t('admin.agency.codeHint')}
          value={code}
          onChange={setCode}
          required
          maxLength={32}
          pattern="[A-Za-z0-9_\-]{1,32}"
        />
        <TextField label={t('admin.agency.name')} value={name} onChange={setName} required maxLength={100} />
        <SelectField
          label={t('admin.agency.type')}
          value={type}
          onChange={(v) => setType(v as AgencyType)}
          options={AGENCY_TYPES.map((v) => ({ value: v, label: t(agencyTypeKey(v)) }))}
        />
        <TextField
          label={t('admin.agency.mailDomainOptional')}
          hint={t('admin.agency.mailDomainHint')}
          value={mailDomain}
          onChange={setMailDomain}
          maxLength={253}
        />
      </div>
      {type === 'public' ? <p className="note">{t('admin.agency.publicNote')}</p> : null}
      <CheckField label={t('admin.agency.mobileIdAdopted')} checked={mobileId} onChange={setMobileId} />
      <ErrorMessage error={error} />
      <Done message={done} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('admin.agencies.submit')}
      </button>
    </form>
  );
}
