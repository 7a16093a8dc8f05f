import { type FormEvent, useEffect, useState } from 'react';
import type { Department } from '../../api/admin.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { AgencyPicker } from './AgencyPicker.tsx';
import { admin } from './client.ts';
import { buildTree, type DepartmentNode, flatten } from './tree.ts';
import { Done, Loading, SelectField, TextField, useLoad } from './ui.tsx';

/** Departments of one agency as a tree, and a form to add (or rename / re-parent) one. */
export function DepartmentsScreen() {
  const { t } = useI18n();
  const agencies = useLoad(() => admin.listAgencies(), 'agencies');
  const [agency, setAgency] = useState('');
  useEffect(() => {
    if (!agency && agencies.value?.[0]) setAgency(agencies.value[0].code);
  }, [agency, agencies.value]);
  const departments = useLoad(
    () => (agency ? admin.listDepartments(agency) : Promise.resolve([])),
    `departments:${agency}`,
  );
  const tree = buildTree(departments.value ?? []);
  const agencyName = agencies.value?.find((a) => a.code === agency)?.name ?? agency;
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.departments.title')}</ScreenHeading>
      <ErrorMessage error={agencies.error} />
      {agencies.value && agencies.value.length === 0 ? (
        <p className="empty">{t('admin.agencies.empty')}</p>
      ) : null}
      {agencies.value && agencies.value.length > 0 ? (
        <div className="filters">
          <AgencyPicker agencies={agencies.value} value={agency} onChange={setAgency} />
        </div>
      ) : null}
      <Loading loading={departments.loading && !departments.value} />
      <ErrorMessage error={departments.error} />
      {agency && departments.value ? (
        <div className="tree-box">
          <h2 id="tree-title">{t('admin.departments.treeTitle', { agency: agencyName })}</h2>
          {tree.length === 0 ? (
            <p className="empty">{t('admin.departments.empty')}</p>
          ) : (
            <ul className="tree" aria-labelledby="tree-title">
              {tree.map((node) => (
                <TreeNode key={node.department.code} node={node} />
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {agency ? (
        <SaveDepartment
          key={agency}
          agencyCode={agency}
          departments={departments.value ?? []}
          onSaved={departments.reload}
        />
      ) : null}
    </section>
  );
}

function TreeNode(props: { readonly node: DepartmentNode }) {
  const { department, children } = props.node;
  return (
    <li data-department={department.code}>
      <span className="tree-label">
        {department.name} <code className="muted-code">{department.code}</code>
      </span>
      {children.length > 0 ? (
        <ul>
          {children.map((c) => (
            <TreeNode key={c.department.code} node={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function SaveDepartment(props: {
  readonly agencyCode: string;
  readonly departments: readonly Department[];
  readonly onSaved: () => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const options = [
    { value: '', label: t('admin.departments.noParent') },
    ...flatten(buildTree(props.departments)).map(({ department, depth }) => ({
      value: department.code,
      label: `${'— '.repeat(depth)}${department.name} (${department.code})`,
    })),
  ];
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const saved = await admin.saveDepartment(props.agencyCode, code.trim(), {
        name: name.trim(),
        parentCode: parent || null,
      });
      setDone(t('admin.departments.saved', { name: saved.name }));
      setCode('');
      setName('');
      props.onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack form-card" onSubmit={onSubmit} aria-labelledby="save-department">
      <h2 id="save-department">{t('admin.departments.create')}</h2>
      <p className="hint">{t('admin.departments.createHint')}</p>
      <div className="form-grid">
        <TextField
          label={t('admin.department.code')}
          value={code}
          onChange={setCode}
          required
          maxLength={32}
          pattern="[A-Za-z0-9_\-]{1,32}"
        />
        <TextField
          label={t('admin.department.name')}
          value={name}
          onChange={setName}
          required
          maxLength={100}
        />
        <SelectField
          label={t('admin.department.parent')}
          value={parent}
          onChange={setParent}
          options={options}
        />
      </div>
      <ErrorMessage error={error} />
      <Done message={done} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t('admin.departments.submit')}
      </button>
    </form>
  );
}
