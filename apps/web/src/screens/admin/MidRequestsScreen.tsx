import { type FormEvent, useState } from 'react';
import {
  type MidRequest,
  OPEN_REQUEST_STATES,
  REQUEST_REASONS,
  REQUEST_STATES,
  type RequestReason,
  type RequestState,
} from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { reasonKey, requestStateKey } from '../mobile-id/labels.ts';
import { RequestStateBadge, RequestTimeline } from '../mobile-id/RequestTimeline.tsx';
import { AgencyPicker } from './AgencyPicker.tsx';
import { admin, midAdmin } from './client.ts';
import { Done, Loading, SelectField, TextField, useConfirmedAction, useLoad } from './ui.tsx';

/**
 * HR: mobile-ID requests. Create one for a person (the head of their department decides), list them
 * filtered by state, agency or person, with every step's time and actor; withdraw an open one.
 */
export function MidRequestsScreen() {
  const { t } = useI18n();
  const [state, setState] = useState<RequestState | ''>('');
  const [agency, setAgency] = useState('');
  const [person, setPerson] = useState('');
  const [applied, setApplied] = useState({ state: '' as RequestState | '', agency: '', person: '' });
  const requests = useLoad(
    () =>
      midAdmin.listRequests({
        state: applied.state,
        agency: applied.agency,
        employeeNumber: applied.person,
        limit: 200,
      }),
    `mid-requests:${applied.state}:${applied.agency}:${applied.person}`,
  );
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  const { error, done, setDone, run } = useConfirmedAction();
  const cancel = (r: MidRequest) =>
    run(
      t('portal.mid.confirmCancel', { name: r.realName }),
      async () => {
        await midAdmin.cancelRequest(r.id);
        requests.reload();
      },
      t('portal.mid.cancelled', { name: r.realName }),
    );
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('portal.mid.requestsTitle')}</ScreenHeading>
      <p className="lead">{t('portal.mid.requestsIntro')}</p>
      <CreateRequest
        onCreated={(r) => {
          setDone(t('portal.mid.created', { name: r.realName }));
          requests.reload();
        }}
      />
      <form
        className="filters form-card"
        aria-label={t('portal.mid.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ state, agency, person: person.trim() });
        }}
      >
        <SelectField
          label={t('portal.mid.filterState')}
          value={state}
          onChange={(v) => setState(v as RequestState | '')}
          options={[
            { value: '', label: t('portal.mid.allStates') },
            ...REQUEST_STATES.map((s) => ({ value: s, label: t(requestStateKey(s)) })),
          ]}
        />
        <AgencyPicker agencies={agencies.value ?? []} value={agency} onChange={setAgency} allowAll />
        <TextField label={t('portal.mid.filterPerson')} value={person} onChange={setPerson} maxLength={32} />
        <div className="filters-submit">
          <button type="submit" className="button button-secondary">
            {t('portal.mid.applyFilters')}
          </button>
        </div>
      </form>
      <Loading loading={requests.loading && !requests.value} />
      <ErrorMessage error={requests.error} />
      <ErrorMessage error={error} />
      <Done message={done} />
      {requests.value && requests.value.length === 0 ? (
        <p className="empty">{t('portal.mid.noRequests')}</p>
      ) : null}
      {requests.value && requests.value.length > 0 ? (
        <RequestTable requests={requests.value} onCancel={cancel} />
      ) : null}
    </section>
  );
}

function RequestTable(props: {
  readonly requests: readonly MidRequest[];
  readonly onCancel: (r: MidRequest) => void;
}) {
  const { t } = useI18n();
  return (
    <table className="data-table">
      <caption>{t('portal.mid.requestsCaption', { count: props.requests.length })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('portal.mid.person')}</th>
          <th scope="col">{t('portal.mid.kind')}</th>
          <th scope="col">{t('portal.mid.state')}</th>
          <th scope="col">{t('portal.mid.steps')}</th>
          <th scope="col">{t('portal.mid.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.requests.map((r) => (
          <tr key={r.id} data-request={r.id} data-state={r.state}>
            <th scope="row" data-label={t('portal.mid.person')}>
              {r.realName} <span className="muted-code">{r.employeeNumber}</span>
              <br />
              <span className="muted-code">{r.agencyCode}</span>
            </th>
            <td data-label={t('portal.mid.kind')}>
              {t(r.kind === 'first' ? 'mid.kind.first' : 'mid.kind.reissue')}
              <br />
              <span className="muted-code">{t(reasonKey(r.reason))}</span>
            </td>
            <td data-label={t('portal.mid.state')}>
              <RequestStateBadge state={r.state} />
            </td>
            <td data-label={t('portal.mid.steps')}>
              <RequestTimeline request={r} />
            </td>
            <td data-label={t('portal.mid.actions')}>
              {OPEN_REQUEST_STATES.includes(r.state) ? (
                <button
                  type="button"
                  className="button button-danger button-small"
                  aria-label={t('portal.mid.cancelNamed', { name: r.realName })}
                  onClick={() => props.onCancel(r)}
                >
                  {t('portal.mid.cancel')}
                </button>
              ) : (
                <span className="muted-code">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CreateRequest(props: { readonly onCreated: (r: MidRequest) => void }) {
  const { t } = useI18n();
  const [employeeNumber, setEmployeeNumber] = useState('');
  const [reason, setReason] = useState<RequestReason>('new');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      props.onCreated(await midAdmin.createRequest({ employeeNumber: employeeNumber.trim(), reason }));
      setEmployeeNumber('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="create-request">
      <h2 id="create-request">{t('portal.mid.create')}</h2>
      <div className="form-grid">
        <TextField
          label={t('portal.mid.employeeNumber')}
          hint={t('portal.mid.employeeNumberHint')}
          value={employeeNumber}
          onChange={setEmployeeNumber}
          required
          maxLength={32}
        />
        <SelectField
          label={t('portal.mid.reason')}
          value={reason}
          onChange={(v) => setReason(v as RequestReason)}
          options={REQUEST_REASONS.map((r) => ({ value: r, label: t(reasonKey(r)) }))}
        />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('portal.mid.submit')}
      </button>
    </form>
  );
}
