// 조직도: the caller's agency as a department tree (native <details> per department), people as
// checkboxes; the chosen ones go to To, Cc or Bcc. A modal <dialog> (focus kept inside, Esc closes).
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/context.tsx';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { buildForest, type OrgNode } from './org-tree.ts';
import type { Recipient } from './recipients.ts';
import type { DirectoryPerson, DirectoryTree, SendApi } from './send-api.ts';

export type Field = 'to' | 'cc' | 'bcc';

export function OrgPicker(props: {
  readonly open: boolean;
  readonly api: SendApi;
  readonly onClose: () => void;
  readonly onPick: (field: Field, people: Recipient[]) => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement | null>(null);
  const [tree, setTree] = useState<DirectoryTree | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<Map<string, DirectoryPerson>>(new Map());

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);

  useEffect(() => {
    if (!props.open || tree) return;
    let live = true;
    props.api.tree().then(
      (t) => live && setTree(t),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [props.open, props.api, tree]);

  const toggle = (p: DirectoryPerson, on: boolean) =>
    setChosen((prev) => {
      const next = new Map(prev);
      if (on) next.set(p.address, p);
      else next.delete(p.address);
      return next;
    });

  const pick = (field: Field) => {
    props.onPick(
      field,
      [...chosen.values()].map((p) => ({ name: p.name, address: p.address })),
    );
    setChosen(new Map());
    props.onClose();
  };

  const person = (p: DirectoryPerson) => (
    <li key={p.address} className="org-person">
      <label>
        <input
          type="checkbox"
          checked={chosen.has(p.address)}
          onChange={(e) => toggle(p, e.target.checked)}
        />
        <span className="org-person-name">{p.name}</span>
        {p.position ? <span className="org-person-meta">{p.position}</span> : null}
        <span className="org-person-meta">{p.address}</span>
      </label>
    </li>
  );

  const branch = (n: OrgNode, depth: number) => (
    <li key={n.dept.code} className="org-dept">
      <details open={depth === 0}>
        <summary>
          {n.dept.name} <span className="org-count">({t('compose.org.people', { count: n.count })})</span>
        </summary>
        {n.dept.people.length ? <ul className="org-people">{n.dept.people.map(person)}</ul> : null}
        {n.children.length ? (
          <ul className="org-tree">{n.children.map((c) => branch(c, depth + 1))}</ul>
        ) : null}
      </details>
    </li>
  );

  return (
    <dialog
      ref={dialog}
      className="org-dialog"
      aria-labelledby="org-title"
      onClose={props.onClose}
      onCancel={props.onClose}
    >
      <div className="org-head">
        <h2 id="org-title">{t('compose.org.title')}</h2>
        <button type="button" className="button button-small button-quiet" onClick={props.onClose}>
          {t('compose.org.close')}
        </button>
      </div>
      <ErrorMessage error={error} />
      {!tree && !error ? <p role="status">{t('compose.org.loading')}</p> : null}
      {tree ? (
        <div className="org-body">
          <p className="org-agency">{tree.agency.name}</p>
          <ul className="org-tree">{buildForest(tree.departments).map((n) => branch(n, 0))}</ul>
          {tree.unassigned.length ? (
            <details>
              <summary>{t('compose.org.unassigned')}</summary>
              <ul className="org-people">{tree.unassigned.map(person)}</ul>
            </details>
          ) : null}
          {tree.truncated ? <p className="hint">{t('compose.org.truncated')}</p> : null}
        </div>
      ) : null}
      <div className="org-actions">
        <p className="org-chosen" role="status">
          {t('compose.org.chosen', { count: chosen.size })}
        </p>
        <button
          type="button"
          className="button button-primary button-small"
          disabled={!chosen.size}
          onClick={() => pick('to')}
        >
          {t('compose.org.addTo')}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={!chosen.size}
          onClick={() => pick('cc')}
        >
          {t('compose.org.addCc')}
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={!chosen.size}
          onClick={() => pick('bcc')}
        >
          {t('compose.org.addBcc')}
        </button>
      </div>
    </dialog>
  );
}
