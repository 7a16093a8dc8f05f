// The mail shell: compose button, folder tree with unread counts, quota meter, search, and the view
// the address names (a folder or search results with the open message, or compose / export).
// Owns the keyboard shortcuts: c, / and ? here; the others go to the mailbox view.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { Link } from '../../app/Link.tsx';
import { navigate } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { useDocumentTitle } from '../../ui/useDocumentTitle.ts';
import { type Folder, mail, type Quota } from './api.ts';
import { FolderTree } from './FolderTree.tsx';
import { folderByRole } from './folders.ts';
import { Mailbox } from './Mailbox.tsx';
import { isSessionRequired, toLogin } from './mail-session.ts';
import { type MailView, mailPaths } from './paths.ts';
import { rememberInbox, takeEarlyFolders } from './prefetch.ts';
import { QuotaMeter } from './QuotaMeter.tsx';
import { SearchBar } from './SearchBar.tsx';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { type ShortcutAction, shortcutFor } from './shortcuts.ts';
import { useFolderName } from './useFolderName.ts';

const PHONE = '(max-width: 45rem)';

export function MailShell(props: { readonly view: MailView; readonly children: ReactNode }) {
  const { t } = useI18n();
  const folderName = useFolderName();
  const { view } = props;
  const [folders, setFolders] = useState<Folder[] | null>(null);
  const [quota, setQuota] = useState<Quota | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [help, setHelp] = useState(false);
  // On a phone the folders fold away above the list (open by default on wider screens).
  const [foldersOpen, setFoldersOpen] = useState(() => !window.matchMedia(PHONE).matches);
  useEffect(() => {
    const phone = window.matchMedia(PHONE);
    const onChange = () => setFoldersOpen(!phone.matches);
    phone.addEventListener('change', onChange);
    return () => phone.removeEventListener('change', onChange);
  }, []);
  const searchInput = useRef<HTMLInputElement>(null);
  const shortcutHandler = useRef<((action: ShortcutAction) => boolean) | null>(null);

  const refresh = useCallback(async () => {
    const fail = (err: unknown) => {
      if (isSessionRequired(err)) toLogin();
      else setError(err);
    };
    const first = takeEarlyFolders();
    // Independent: the list starts as soon as the folders are known.
    mail.quota().then(setQuota, () => undefined);
    try {
      const list = await (first ?? mail.folders());
      setFolders(list);
      const inbox = folderByRole(list, 'inbox');
      if (inbox) rememberInbox(inbox.id);
      setError(null);
    } catch (err) {
      fail(err);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const onChanged = useCallback(
    (message: string | null) => {
      if (message) setStatus(message);
      void refresh();
    },
    [refresh],
  );
  const bindShortcuts = useCallback((handler: ((action: ShortcutAction) => boolean) | null) => {
    shortcutHandler.current = handler;
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        isComposing: event.isComposing,
        defaultPrevented: event.defaultPrevented,
        target: event.target instanceof Element ? (event.target as HTMLElement) : null,
      });
      if (!action) return;
      let handled = true;
      if (action === 'compose') navigate(mailPaths.compose());
      else if (action === 'search') searchInput.current?.focus();
      else if (action === 'help') setHelp(true);
      else handled = shortcutHandler.current?.(action) ?? false;
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const inbox = folders ? folderByRole(folders, 'inbox') : undefined;
  const current =
    view.kind === 'folder' && folders
      ? view.folderId
        ? folders.find((f) => f.id === view.folderId)
        : inbox
      : undefined;
  useDocumentTitle(current ? folderName(current) : t('mail.title'));

  let main: ReactNode;
  if (props.children) main = props.children;
  else if (!folders) main = error ? null : <p className="status">{t('mail.loading')}</p>;
  else if (view.kind === 'folder' && current)
    main = (
      <Mailbox
        key={current.id}
        source={{ kind: 'folder', folder: current }}
        openId={view.messageId}
        folders={folders}
        onChanged={onChanged}
        bindShortcuts={bindShortcuts}
      />
    );
  else if (view.kind === 'search')
    main = (
      <Mailbox
        key={JSON.stringify(view.filters)}
        source={{ kind: 'search', filters: view.filters }}
        openId={view.messageId}
        folders={folders}
        onChanged={onChanged}
        bindShortcuts={bindShortcuts}
      />
    );
  else main = <p className="status">{t('app.notFound.title')}</p>;

  const open = view.kind === 'folder' || view.kind === 'search' ? view.messageId : null;
  return (
    <div className={`mail-layout${open ? ' has-open' : ''}${props.children ? ' has-pane' : ''}`}>
      <aside className="mail-sidebar">
        <button
          type="button"
          className="button-primary mail-compose"
          onClick={() => navigate(mailPaths.compose())}
        >
          {t('mail.compose.button')}
        </button>
        <details
          className="mail-folders"
          open={foldersOpen}
          onToggle={(e) => setFoldersOpen(e.currentTarget.open)}
        >
          <summary className="mail-folders-summary">
            {t('mail.folders.label')}
            {current ? <span className="mail-folders-current">{`· ${folderName(current)}`}</span> : null}
          </summary>
          {folders ? (
            <FolderTree folders={folders} currentId={current?.id ?? null} onChanged={onChanged} />
          ) : null}
          <QuotaMeter quota={quota} />
          <p className="mail-sidebar-links">
            <Link to={mailPaths.export}>{t('mail.export.link')}</Link>
            <button type="button" className="button-link" onClick={() => setHelp(true)}>
              {t('mail.shortcuts.button')}
              <span className="visually-hidden"> (?)</span>
            </button>
          </p>
        </details>
      </aside>
      <div className="mail-main">
        <SearchBar
          ref={searchInput}
          folders={folders ?? []}
          current={view.kind === 'search' ? view.filters : null}
        />
        <p className="mail-status" role="status">
          {status}
        </p>
        <ErrorMessage error={error} />
        {main}
      </div>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
