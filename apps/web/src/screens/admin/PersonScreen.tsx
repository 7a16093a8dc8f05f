import { type FormEvent, useState } from 'react';
import type { Agency, CertificateRegistration, Department, Person, SignupCode } from '../../api/admin.ts';
import { navigate } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/ko.ts';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { AgencyPicker } from './AgencyPicker.tsx';
import { admin } from './client.ts';
import { accountStateKey, agencyTypeKey, personStateKey } from './labels.ts';
import { personPath } from './paths.ts';
import { buildTree, flatten } from './tree.ts';
import { CheckField, Done, Loading, type Option, SelectField, ShownOnce, TextField, useLoad } from './ui.tsx';

const CERT_CLASSES = new Set(['gpki-personal', 'gpki-special', 'epki-personal', 'npki', 'unknown']);

function departmentOptions(departments: readonly Department[], none: string): Option[] {
  return [
    { value: '', label: none },
    ...flatten(buildTree(departments)).map(({ department, depth }) => ({
      value: department.code,
      label: `${'— '.repeat(depth)}${department.name}`,
    })),
  ];
}

/** A new person (`employeeNumber` null) or one person's record, with the HR actions on it. */
export function PersonScreen(props: { readonly employeeNumber: string | null }) {
  return props.employeeNumber === null ? (
    <NewPerson />
  ) : (
    <PersonDetail employeeNumber={props.employeeNumber} />
  );
}

interface RecordFields {
  realName: string;
  position: string;
  mobile: string;
  isDepartmentHead: boolean;
  state: 'active' | 'on_leave';
}

function RecordInputs(props: { readonly value: RecordFields; readonly onChange: (v: RecordFields) => void }) {
  const { t } = useI18n();
  const v = props.value;
  const set = (patch: Partial<RecordFields>) => props.onChange({ ...v, ...patch });
  return (
    <>
      <TextField
        label={t('admin.person.name')}
        hint={t('admin.person.nameHint')}
        value={v.realName}
        onChange={(realName) => set({ realName })}
        required
        maxLength={64}
      />
      <TextField
        label={t('admin.person.position')}
        value={v.position}
        onChange={(position) => set({ position })}
        maxLength={64}
      />
      <TextField
        label={t('admin.person.mobile')}
        hint={t('admin.person.mobileHint')}
        type="tel"
        inputMode="tel"
        value={v.mobile}
        onChange={(mobile) => set({ mobile })}
        maxLength={20}
      />
      <SelectField
        label={t('admin.person.state')}
        value={v.state}
        onChange={(state) => set({ state: state === 'on_leave' ? 'on_leave' : 'active' })}
        options={[
          { value: 'active', label: t('admin.personState.active') },
          { value: 'on_leave', label: t('admin.personState.on_leave') },
        ]}
      />
      <CheckField
        label={t('admin.person.isDepartmentHead')}
        checked={v.isDepartmentHead}
        onChange={(isDepartmentHead) => set({ isDepartmentHead })}
      />
    </>
  );
}

function NewPerson() {
  const { t } = useI18n();
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  const [employeeNumber, setEmployeeNumber] = useState('');
  const [agencyCode, setAgencyCode] = useState('');
  const agency: Agency | undefined =
    agencies.value?.find((a) => a.code === agencyCode) ?? agencies.value?.[0] ?? undefined;
  const departments = useLoad(
    () => (agency ? admin.listDepartments(agency.code) : Promise.resolve([])),
    `departments:${agency?.code ?? ''}`,
  );
  const [departmentCode, setDepartmentCode] = useState('');
  const [record, setRecord] = useState<RecordFields>({
    realName: '',
    position: '',
    mobile: '',
    isDepartmentHead: false,
    state: 'active',
  });
  const [retirementDate, setRetirementDate] = useState('');
  const [mailId, setMailId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy || !agency) return;
    setBusy(true);
    setError(null);
    try {
      const emp = employeeNumber.trim();
      await admin.savePerson(emp, {
        agencyCode: agency.code,
        departmentCode: departmentCode || null,
        realName: record.realName,
        position: record.position.trim() || null,
        mobile: record.mobile.trim() || null,
        isDepartmentHead: record.isDepartmentHead,
        state: record.state,
        retirementDate: retirementDate || null,
        ...(mailId.trim() && agency.signupEligible ? { mailId: mailId.trim() } : {}),
      });
      navigate(personPath(emp));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.person.newTitle')}</ScreenHeading>
      <ErrorMessage error={agencies.error} />
      {agencies.value && agencies.value.length === 0 ? (
        <p className="empty">{t('admin.agencies.empty')}</p>
      ) : null}
      {agency ? (
        <form className="stack" onSubmit={onSubmit}>
          <div className="form-grid">
            <TextField
              label={t('admin.person.employeeNumber')}
              hint={t('admin.person.employeeNumberHint')}
              value={employeeNumber}
              onChange={setEmployeeNumber}
              required
              maxLength={32}
              pattern="[A-Za-z0-9\-]{1,32}"
            />
            <AgencyPicker
              agencies={agencies.value ?? []}
              value={agency.code}
              onChange={(v) => {
                setAgencyCode(v);
                setDepartmentCode('');
              }}
            />
            <SelectField
              label={t('admin.person.department')}
              value={departmentCode}
              onChange={setDepartmentCode}
              options={departmentOptions(departments.value ?? [], t('admin.person.noDepartment'))}
            />
            <RecordInputs value={record} onChange={setRecord} />
            <TextField
              label={t('admin.person.retirementDate')}
              hint={t('admin.person.retirementHint')}
              type="date"
              value={retirementDate}
              onChange={setRetirementDate}
            />
            {agency.signupEligible ? (
              <TextField
                label={t('admin.person.mailId')}
                hint={t('admin.person.mailIdHint')}
                value={mailId}
                onChange={setMailId}
                maxLength={64}
                pattern="[a-z0-9]([a-z0-9._\-]{0,62}[a-z0-9])?"
              />
            ) : null}
          </div>
          {!agency.signupEligible ? <p className="note">{t('admin.person.publicNoAccount')}</p> : null}
          <ErrorMessage error={error} />
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('admin.person.create')}
          </button>
        </form>
      ) : (
        <Loading loading={agencies.loading} />
      )}
    </section>
  );
}

function PersonDetail(props: { readonly employeeNumber: string }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<Person | null>(null);
  const loaded = useLoad(async () => {
    const p = await admin.getPerson(props.employeeNumber);
    setPerson(p);
    return p;
  }, `person:${props.employeeNumber}`);
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  const agencyCode = person?.agencyCode ?? '';
  const departments = useLoad(
    () => (agencyCode ? admin.listDepartments(agencyCode) : Promise.resolve([])),
    `departments:${agencyCode}`,
  );
  const agency = agencies.value?.find((a) => a.code === agencyCode);
  const deptName = new Map((departments.value ?? []).map((d) => [d.code, d.name]));
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>
        {person ? t('admin.person.title', { name: person.realName }) : t('admin.person.loadingTitle')}
      </ScreenHeading>
      <Loading loading={loaded.loading && !person} />
      <ErrorMessage error={loaded.error} />
      {person ? (
        <>
          <dl className="summary">
            <div>
              <dt>{t('admin.person.employeeNumber')}</dt>
              <dd>{person.employeeNumber}</dd>
            </div>
            <div>
              <dt>{t('admin.person.agency')}</dt>
              <dd>{agency ? `${agency.name} · ${t(agencyTypeKey(agency.type))}` : person.agencyCode}</dd>
            </div>
            <div>
              <dt>{t('admin.person.department')}</dt>
              <dd>
                {person.departmentCode ? (deptName.get(person.departmentCode) ?? person.departmentCode) : '—'}
              </dd>
            </div>
            <div>
              <dt>{t('admin.person.state')}</dt>
              <dd>{t(personStateKey(person.state))}</dd>
            </div>
            <div>
              <dt>{t('admin.person.retirementDate')}</dt>
              <dd data-testid="retirement-date">{person.retirementDate ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('admin.person.account')}</dt>
              <dd>
                {person.account
                  ? `${person.account.address} (${t(accountStateKey(person.account.state))})`
                  : t('admin.person.noAccount')}
              </dd>
            </div>
          </dl>
          {person.state === 'retired' ? (
            <p className="note">{t('admin.person.retiredNote')}</p>
          ) : (
            <>
              <EditRecord person={person} agency={agency} onSaved={setPerson} />
              <MovePerson person={person} departments={departments.value ?? []} onSaved={setPerson} />
              <Retirement person={person} onSaved={setPerson} />
              {person.account ? <IssueSignupCode person={person} /> : null}
            </>
          )}
          <Certificates employeeNumber={person.employeeNumber} />
        </>
      ) : null}
    </section>
  );
}

/** Runs one change; gives the form its busy flag, error and success message. */
function useChange() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (change: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await change());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

function EditRecord(props: {
  readonly person: Person;
  readonly agency: Agency | undefined;
  readonly onSaved: (p: Person) => void;
}) {
  const { t } = useI18n();
  const p = props.person;
  const [record, setRecord] = useState<RecordFields>({
    realName: p.realName,
    position: p.position ?? '',
    mobile: p.mobile ?? '',
    isDepartmentHead: p.isDepartmentHead,
    state: p.state === 'on_leave' ? 'on_leave' : 'active',
  });
  const [mailId, setMailId] = useState('');
  const change = useChange();
  const canCreateAccount = !p.account && props.agency?.signupEligible === true;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void change.run(async () => {
      const r = await admin.savePerson(p.employeeNumber, {
        agencyCode: p.agencyCode,
        departmentCode: p.departmentCode,
        retirementDate: p.retirementDate,
        realName: record.realName,
        position: record.position.trim() || null,
        mobile: record.mobile.trim() || null,
        isDepartmentHead: record.isDepartmentHead,
        state: record.state,
        ...(canCreateAccount && mailId.trim() ? { mailId: mailId.trim() } : {}),
      });
      props.onSaved(r.person);
      return t('admin.saved');
    });
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="edit-person">
      <h2 id="edit-person">{t('admin.person.editTitle')}</h2>
      <div className="form-grid">
        <RecordInputs value={record} onChange={setRecord} />
        {canCreateAccount ? (
          <TextField
            label={t('admin.person.mailId')}
            hint={t('admin.person.mailIdHint')}
            value={mailId}
            onChange={setMailId}
            maxLength={64}
          />
        ) : null}
      </div>
      <ErrorMessage error={change.error} />
      <Done message={change.done} />
      <button type="submit" className="button button-primary" disabled={change.busy}>
        {t('admin.save')}
      </button>
    </form>
  );
}

function MovePerson(props: {
  readonly person: Person;
  readonly departments: readonly Department[];
  readonly onSaved: (p: Person) => void;
}) {
  const { t } = useI18n();
  const [department, setDepartment] = useState(props.person.departmentCode ?? '');
  const change = useChange();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void change.run(async () => {
      props.onSaved(await admin.movePerson(props.person.employeeNumber, department || null));
      return t('admin.person.moved');
    });
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="move-person">
      <h2 id="move-person">{t('admin.person.moveTitle')}</h2>
      <SelectField
        label={t('admin.person.newDepartment')}
        value={department}
        onChange={setDepartment}
        options={departmentOptions(props.departments, t('admin.person.noDepartment'))}
      />
      <ErrorMessage error={change.error} />
      <Done message={change.done} />
      <button type="submit" className="button button-primary" disabled={change.busy}>
        {t('admin.person.move')}
      </button>
    </form>
  );
}

function Retirement(props: { readonly person: Person; readonly onSaved: (p: Person) => void }) {
  const { t } = useI18n();
  const [date, setDate] = useState(props.person.retirementDate ?? '');
  const change = useChange();
  const save = (value: string | null) =>
    change.run(async () => {
      const p = await admin.setRetirementDate(props.person.employeeNumber, value);
      props.onSaved(p);
      setDate(p.retirementDate ?? '');
      return p.retirementDate
        ? t('admin.person.retirementSet', { date: p.retirementDate })
        : t('admin.person.retirementCleared');
    });
  return (
    <form
      className="stack form-card"
      aria-labelledby="retirement"
      onSubmit={(e) => {
        e.preventDefault();
        void save(date || null);
      }}
    >
      <h2 id="retirement">{t('admin.person.retirementTitle')}</h2>
      <TextField
        label={t('admin.person.retirementDate')}
        hint={t('admin.person.retirementHint')}
        type="date"
        value={date}
        onChange={setDate}
      />
      <ErrorMessage error={change.error} />
      <Done message={change.done} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={change.busy}>
          {t('admin.person.retirementSave')}
        </button>
        {props.person.retirementDate ? (
          <button
            type="button"
            className="button button-secondary"
            disabled={change.busy}
            onClick={() => void save(null)}
          >
            {t('admin.person.retirementClear')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function IssueSignupCode(props: { readonly person: Person }) {
  const { lang, t } = useI18n();
  const [issued, setIssued] = useState<SignupCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const issue = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setIssued(null);
    try {
      setIssued(await admin.issueSignupCode(props.person.employeeNumber));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="stack form-card" aria-labelledby="signup-code">
      <h2 id="signup-code">{t('admin.signupCode.title')}</h2>
      <p className="hint">{t('admin.signupCode.intro')}</p>
      {issued ? (
        <ShownOnce title={t('admin.signupCode.issued', { address: issued.address })} value={issued.code}>
          <p className="hint">
            {t('admin.signupCode.expires', {
              at: formatDateTime(issued.expiresAt, lang),
              attempts: issued.maxAttempts,
            })}
          </p>
        </ShownOnce>
      ) : null}
      <ErrorMessage error={error} />
      <button type="button" className="button button-primary" disabled={busy} onClick={issue}>
        {issued ? t('admin.signupCode.reissue') : t('admin.signupCode.issue')}
      </button>
    </section>
  );
}

function certificateStatus(c: CertificateRegistration): { key: MessageKey; blocked: boolean } {
  if (c.revokedAt) return { key: 'admin.cert.revoked', blocked: true };
  if (c.replacedAt) return { key: 'admin.cert.replaced', blocked: true };
  if (Date.parse(c.notAfter) < Date.now()) return { key: 'admin.cert.expired', blocked: true };
  return { key: 'admin.cert.live', blocked: false };
}

function Certificates(props: { readonly employeeNumber: string }) {
  const { lang, t } = useI18n();
  const certs = useLoad(() => admin.listCertificates(props.employeeNumber), `certs:${props.employeeNumber}`);
  return (
    <section className="stack form-card" aria-labelledby="certificates">
      <h2 id="certificates">{t('admin.cert.title')}</h2>
      <Loading loading={certs.loading} />
      <ErrorMessage error={certs.error} />
      {certs.value && certs.value.length === 0 ? <p className="empty">{t('admin.cert.empty')}</p> : null}
      {certs.value && certs.value.length > 0 ? (
        <table className="data-table">
          <caption className="visually-hidden">{t('admin.cert.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cert.class')}</th>
              <th scope="col">{t('admin.cert.serial')}</th>
              <th scope="col">{t('cert.issuer')}</th>
              <th scope="col">{t('cert.expires')}</th>
              <th scope="col">{t('admin.cert.registeredAt')}</th>
              <th scope="col">{t('admin.cert.status')}</th>
            </tr>
          </thead>
          <tbody>
            {certs.value.map((c) => {
              const status = certificateStatus(c);
              const classKey = `cert.class.${c.class}` as MessageKey;
              return (
                <tr key={c.id}>
                  <th scope="row" data-label={t('cert.class')}>
                    {CERT_CLASSES.has(c.class) ? t(classKey) : c.class}
                  </th>
                  <td data-label={t('admin.cert.serial')}>
                    <code>{c.serial}</code>
                  </td>
                  <td data-label={t('cert.issuer')}>{c.issuer}</td>
                  <td data-label={t('cert.expires')}>{formatDateTime(c.notAfter, lang)}</td>
                  <td data-label={t('admin.cert.registeredAt')}>{formatDateTime(c.registeredAt, lang)}</td>
                  <td data-label={t('admin.cert.status')}>
                    <span className={status.blocked ? 'badge badge-blocked' : 'badge badge-ok'}>
                      {t(status.key)}
                    </span>
                    {c.revokeReason ? <span className="hint"> ({c.revokeReason})</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
