import { useState } from 'react';
import type { Person, PersonState } from '../../api/admin.ts';
import { Link } from '../../app/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { AgencyPicker } from './AgencyPicker.tsx';
import { admin } from './client.ts';
import { accountStateKey, personStateKey } from './labels.ts';
import { ADMIN_PATHS, personPath } from './paths.ts';
import { matchesPerson } from './people-filter.ts';
import { Loading, SelectField, TextField, useLoad } from './ui.tsx';

/** People are read from the server a page at a time (by employee number); filters apply to what is loaded. */
export const PEOPLE_PAGE = 200;
const STATES: readonly PersonState[] = ['active', 'on_leave', 'retired'];

export function PeopleScreen() {
  const { t } = useI18n();
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  const [agency, setAgency] = useState('');
  const [text, setText] = useState('');
  const [state, setState] = useState('');
  const [department, setDepartment] = useState('');
  const [pages, setPages] = useState<{ agency: string; people: Person[]; more: boolean } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useLoad(async () => {
    const people = await admin.listPeople({ agency: agency || undefined, limit: PEOPLE_PAGE });
    setPages({ agency, people, more: people.length === PEOPLE_PAGE });
    return people;
  }, `people:${agency}`);
  const departments = useLoad(
    () => (agency ? admin.listDepartments(agency) : Promise.resolve([])),
    `departments:${agency}`,
  );
  const deptName = new Map((departments.value ?? []).map((d) => [d.code, d.name]));
  const agencyName = new Map((agencies.value ?? []).map((a) => [a.code, a.name]));
  const loaded = pages && pages.agency === agency ? pages.people : [];
  const shown = loaded.filter((p) => matchesPerson(p, { text, state, department }));
  const loadMore = async () => {
    if (!pages) return;
    setMoreError(null);
    try {
      const next = await admin.listPeople({
        agency: agency || undefined,
        after: pages.people.at(-1)?.employeeNumber,
        limit: PEOPLE_PAGE,
      });
      setPages({ agency, people: [...pages.people, ...next], more: next.length === PEOPLE_PAGE });
    } catch (err) {
      setMoreError(err);
    }
  };
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.people.title')}</ScreenHeading>
      <p>
        <Link to={ADMIN_PATHS.newPerson} className="button button-secondary">
          {t('admin.people.new')}
        </Link>
      </p>
      <ErrorMessage error={agencies.error} />
      <form className="filters" aria-label={t('admin.filter.label')} onSubmit={(e) => e.preventDefault()}>
        <AgencyPicker
          agencies={agencies.value ?? []}
          value={agency}
          allowAll
          onChange={(v) => {
            setAgency(v);
            setDepartment('');
          }}
        />
        <TextField
          label={t('admin.people.search')}
          hint={t('admin.people.searchHint')}
          value={text}
          onChange={setText}
        />
        <SelectField
          label={t('admin.person.state')}
          value={state}
          onChange={setState}
          options={[
            { value: '', label: t('admin.filter.all') },
            ...STATES.map((s) => ({ value: s, label: t(personStateKey(s)) })),
          ]}
        />
        {agency ? (
          <SelectField
            label={t('admin.person.department')}
            value={department}
            onChange={setDepartment}
            options={[
              { value: '', label: t('admin.filter.all') },
              ...(departments.value ?? []).map((d) => ({ value: d.code, label: d.name })),
            ]}
          />
        ) : null}
      </form>
      <Loading loading={first.loading} />
      <ErrorMessage error={first.error} />
      {!first.loading && !first.error ? (
        shown.length === 0 ? (
          <p className="empty">{t('admin.people.empty')}</p>
        ) : (
          <table className="data-table">
            <caption>{t('admin.people.caption', { shown: shown.length, loaded: loaded.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.person.name')}</th>
                <th scope="col">{t('admin.person.employeeNumber')}</th>
                <th scope="col">{t('admin.person.agency')}</th>
                <th scope="col">{t('admin.person.department')}</th>
                <th scope="col">{t('admin.person.state')}</th>
                <th scope="col">{t('admin.person.retirementDate')}</th>
                <th scope="col">{t('admin.person.account')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.employeeNumber} data-person={p.employeeNumber}>
                  <th scope="row" data-label={t('admin.person.name')}>
                    <Link to={personPath(p.employeeNumber)}>{p.realName}</Link>
                  </th>
                  <td data-label={t('admin.person.employeeNumber')}>
                    <code>{p.employeeNumber}</code>
                  </td>
                  <td data-label={t('admin.person.agency')}>
                    {agencyName.get(p.agencyCode) ?? p.agencyCode}
                  </td>
                  <td data-label={t('admin.person.department')}>
                    {p.departmentCode ? (deptName.get(p.departmentCode) ?? p.departmentCode) : '—'}
                  </td>
                  <td data-label={t('admin.person.state')}>{t(personStateKey(p.state))}</td>
                  <td data-label={t('admin.person.retirementDate')}>{p.retirementDate ?? '—'}</td>
                  <td data-label={t('admin.person.account')}>
                    {p.account ? (
                      <>
                        {p.account.address}{' '}
                        <span className="badge badge-info">{t(accountStateKey(p.account.state))}</span>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      <ErrorMessage error={moreError} />
      {pages?.more && pages.agency === agency ? (
        <button type="button" className="button button-secondary" onClick={loadMore}>
          {t('admin.loadMore')}
        </button>
      ) : null}
    </section>
  );
}
