// The folder tree with unread counts, and the user's own folders: create, rename, delete.
import { type FormEvent, useId, useState } from 'react';
import { Link } from '../../app/Link.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { type Folder, mail } from './api.ts';
import { folderTree } from './folders.ts';
import { mailPaths } from './paths.ts';
import { useFolderName } from './useFolderName.ts';

export function FolderTree(props: {
  readonly folders: readonly Folder[];
  readonly currentId: string | null;
  readonly onChanged: (status: string) => void;
}) {
  const { t } = useI18n();
  const name = useFolderName();
  const [managing, setManaging] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const nodes = folderTree(props.folders);
  const newNameId = useId();
  const parentId = useId();

  const run = async (work: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const newName = String(data.get('name') ?? '').trim();
    const parent = String(data.get('parent') ?? '') || null;
    if (!newName) return;
    void run(async () => {
      const created = await mail.createFolder(newName, parent);
      form.reset();
      return t('mail.folders.created', { name: created.name });
    });
  };
  const onRename = (event: FormEvent<HTMLFormElement>, folder: Folder) => {
    event.preventDefault();
    const newName = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    if (!newName || newName === folder.name) {
      setRenaming(null);
      return;
    }
    void run(async () => {
      const renamed = await mail.renameFolder(folder.id, newName);
      setRenaming(null);
      return t('mail.folders.renamed', { name: renamed.name });
    });
  };
  const onDelete = (folder: Folder) => {
    if (!window.confirm(t('mail.folders.deleteConfirm', { name: folder.name }))) return;
    void run(async () => {
      await mail.deleteFolder(folder.id);
      return t('mail.folders.deleted');
    });
  };

  return (
    <nav className="folder-nav" aria-label={t('mail.folders.label')}>
      <ul className="folder-tree">
        {nodes.map(({ folder, depth }) => {
          const label = name(folder);
          const current = folder.id === props.currentId;
          return (
            <li key={folder.id} className={`folder-item depth-${Math.min(depth, 4)}`}>
              {renaming === folder.id ? (
                <form className="folder-rename" onSubmit={(e) => onRename(e, folder)}>
                  <input
                    name="name"
                    defaultValue={folder.name}
                    maxLength={200}
                    aria-label={t('mail.folders.renameTo', { name: folder.name })}
                    // biome-ignore lint/a11y/noAutofocus: the field the user just asked for.
                    autoFocus
                  />
                  <button type="submit" className="button-small" disabled={busy}>
                    {t('mail.folders.save')}
                  </button>
                  <button type="button" className="button-small" onClick={() => setRenaming(null)}>
                    {t('mail.folders.cancel')}
                  </button>
                </form>
              ) : (
                <div className="folder-row">
                  <Link
                    to={mailPaths.folder(folder.id)}
                    className={`folder-link${current ? ' is-current' : ''}`}
                    current={current}
                  >
                    <span className="folder-name">{label}</span>
                    {folder.unread > 0 ? (
                      <span className="folder-unread">
                        <span aria-hidden="true">{folder.unread}</span>
                        <span className="visually-hidden">
                          , {t('mail.folders.unread', { count: folder.unread })}
                        </span>
                      </span>
                    ) : null}
                  </Link>
                  {managing && folder.role === null ? (
                    <span className="folder-manage">
                      <button
                        type="button"
                        className="button-small"
                        onClick={() => setRenaming(folder.id)}
                        aria-label={`${t('mail.folders.rename')}: ${folder.name}`}
                      >
                        {t('mail.folders.rename')}
                      </button>
                      <button
                        type="button"
                        className="button-small button-danger"
                        onClick={() => onDelete(folder)}
                        aria-label={`${t('mail.folders.delete')}: ${folder.name}`}
                      >
                        {t('mail.folders.delete')}
                      </button>
                    </span>
                  ) : null}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button-link folder-manage-toggle"
        aria-expanded={managing}
        onClick={() => setManaging((m) => !m)}
      >
        {t('mail.folders.manage')}
      </button>
      {managing ? (
        <form className="folder-create" onSubmit={onCreate}>
          <label htmlFor={newNameId}>{t('mail.folders.newName')}</label>
          <input id={newNameId} name="name" maxLength={200} required />
          <label htmlFor={parentId}>{t('mail.folders.parent')}</label>
          <select id={parentId} name="parent" defaultValue="">
            <option value="">{t('mail.folders.topLevel')}</option>
            {nodes
              .filter((n) => n.folder.role !== 'trash')
              .map(({ folder, depth }) => (
                <option key={folder.id} value={folder.id}>
                  {`${'  '.repeat(depth)}${name(folder)}`}
                </option>
              ))}
          </select>
          <button type="submit" className="button-small" disabled={busy}>
            {t('mail.folders.create')}
          </button>
        </form>
      ) : null}
      <ErrorMessage error={error} />
    </nav>
  );
}
