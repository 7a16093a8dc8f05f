// A folder's messages or search results: the list (paged, windowed, multi-select with actions) and,
// beside it (or instead of it on a narrow screen), the open message. Handles the list shortcuts.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { navigate } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import { koreanDayEnd, koreanDayStart } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import {
  type Folder,
  type MessageDetail,
  type MessageSummary,
  mail,
  type Page,
  type SearchFilters,
} from './api.ts';
import { folderTree } from './folders.ts';
import { MessageList } from './MessageList.tsx';
import { MessageView } from './MessageView.tsx';
import { mailPaths } from './paths.ts';
import { PAGE_SIZE, takeEarlyPage } from './prefetch.ts';
import type { ShortcutAction } from './shortcuts.ts';
import { useFolderName } from './useFolderName.ts';

export type MailboxSource =
  | { readonly kind: 'folder'; readonly folder: Folder }
  | { readonly kind: 'search'; readonly filters: SearchFilters };

type Flag = 'seen' | 'flagged';

export function Mailbox(props: {
  readonly source: MailboxSource;
  readonly openId: string | null;
  readonly folders: readonly Folder[];
  readonly onChanged: (status: string | null) => void;
  /** registers the handler of the list/message shortcuts */
  readonly bindShortcuts: (handler: ((action: ShortcutAction) => boolean) | null) => void;
}) {
  const { t } = useI18n();
  const folderName = useFolderName();
  const { source, openId, onChanged } = props;
  const [items, setItems] = useState<MessageSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [cursor, setCursor] = useState(-1);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [anchor, setAnchor] = useState(-1);
  const [moveTarget, setMoveTarget] = useState('');
  const moveId = useId();

  // The parent keys this view by its source (folder id, search filters): what to fetch never changes
  // while it is mounted, even when the folder objects are refreshed (unread counts).
  const sourceRef = useRef(source);
  const fetchPage = useCallback((after: string | null): Promise<Page> => {
    const source = sourceRef.current;
    {
      if (source.kind === 'folder') {
        const early = after === null ? takeEarlyPage(source.folder.id) : null;
        const fetch = () => mail.messages(source.folder.id, after, PAGE_SIZE);
        return early ? early.catch(fetch) : fetch();
      }
      const f = source.filters;
      return mail.search(
        {
          ...f,
          from: f.from ? koreanDayStart(f.from) : undefined,
          to: f.to ? koreanDayEnd(f.to) : undefined,
        },
        after,
        PAGE_SIZE,
      );
    }
  }, []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    fetchPage(null).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (err) => {
        if (!live) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    fetchPage(nextCursor).then(
      (page) => {
        setItems((prev) => {
          const seen = new Set(prev.map((m) => m.id));
          return [...prev, ...page.items.filter((m) => !seen.has(m.id))];
        });
        setNextCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (err) => {
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [nextCursor, loadingMore, fetchPage]);

  const listPath =
    source.kind === 'folder' ? mailPaths.folder(source.folder.id) : mailPaths.search(source.filters);
  const hrefOf = useCallback(
    (m: MessageSummary) =>
      source.kind === 'folder'
        ? mailPaths.message(source.folder.id, m.id)
        : mailPaths.searchMessage(source.filters, m.id),
    [source],
  );
  const roleOf = (m: MessageSummary) => props.folders.find((f) => f.id === m.folderId)?.role ?? null;

  const open = (m: MessageSummary, index: number) => {
    setCursor(index);
    if (roleOf(m) === 'drafts') navigate(mailPaths.compose({ draft: m.id }));
    else navigate(hrefOf(m));
  };
  const clearFocus = useCallback(() => setFocusId(null), []);
  const back = () => {
    if (!openId) return;
    setFocusId(openId);
    navigate(listPath);
  };

  const openIndex = openId ? items.findIndex((m) => m.id === openId) : -1;
  useEffect(() => {
    if (openIndex >= 0) setCursor(openIndex);
  }, [openIndex]);

  const patch = (ids: readonly string[], flag: Flag, value: boolean) => {
    const set = new Set(ids);
    setItems((prev) => prev.map((m) => (set.has(m.id) ? { ...m, flags: { ...m.flags, [flag]: value } } : m)));
  };

  const onLoaded = useCallback(
    (detail: MessageDetail) => {
      let wasUnread = false;
      setItems((prev) =>
        prev.map((m) => {
          if (m.id !== detail.id || m.flags.seen) return m;
          wasUnread = true;
          return { ...m, flags: { ...m.flags, seen: true } };
        }),
      );
      if (wasUnread || !detail.flags.seen) onChanged(null);
    },
    [onChanged],
  );

  const act = async (ids: readonly string[], work: () => Promise<void>, status: string, removes: boolean) => {
    if (ids.length === 0) return;
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
      return;
    }
    if (removes) {
      const gone = new Set(ids);
      const remaining = items.filter((m) => !gone.has(m.id));
      setItems(remaining);
      setCursor((c) => Math.min(c, remaining.length - 1));
      if (openId && gone.has(openId)) {
        // Go on to the next message of the list, as mail readers do; back to the list at the end.
        const next = items.slice(openIndex + 1).find((m) => !gone.has(m.id));
        if (next) navigate(hrefOf(next));
        else navigate(listPath);
      }
    }
    setSelected(new Set());
    onChanged(status);
  };

  const targets = (): string[] => {
    if (selected.size > 0) return [...selected];
    if (openId) return [openId];
    const m = items[cursor];
    return m ? [m.id] : [];
  };
  const inTrash = source.kind === 'folder' && source.folder.role === 'trash';
  const doDelete = (ids: string[]) =>
    act(ids, () => mail.remove(ids), t('mail.actions.deleted', { count: ids.length }), true);
  const doFlag = (ids: string[], flag: Flag, value: boolean) => {
    const status =
      flag === 'flagged'
        ? t(value ? 'mail.actions.flagged' : 'mail.actions.unflagged', { count: ids.length })
        : t(value ? 'mail.actions.markedRead' : 'mail.actions.markedUnread', { count: ids.length });
    return act(
      ids,
      async () => {
        await mail.setFlags(ids, { [flag]: value });
        patch(ids, flag, value);
      },
      status,
      false,
    );
  };
  const doMove = (ids: string[], folderId: string) => {
    const target = props.folders.find((f) => f.id === folderId);
    if (!target) return;
    void act(
      ids,
      () => mail.move(ids, folderId),
      t('mail.actions.moved', { count: ids.length, folder: folderName(target) }),
      source.kind === 'folder' && source.folder.id !== folderId,
    );
  };
  const toggleFlag = (m: { id: string; flags: { flagged: boolean } }) =>
    doFlag([m.id], 'flagged', !m.flags.flagged);

  const step = (delta: number) => {
    if (openId) {
      const next = items[openIndex + delta];
      if (next) open(next, openIndex + delta);
      return;
    }
    setCursor((c) => Math.max(0, Math.min(items.length - 1, c + delta)));
  };

  // The shortcuts of this view (the shell handles c, / and ?).
  const handler = (action: ShortcutAction): boolean => {
    const current = openId ?? items[cursor]?.id ?? null;
    switch (action) {
      case 'next':
        step(1);
        return true;
      case 'prev':
        step(-1);
        return true;
      case 'open': {
        const m = items[cursor];
        if (!m || openId === m.id) return false;
        open(m, cursor);
        return true;
      }
      case 'back':
        back();
        return true;
      case 'reply':
      case 'replyAll':
      case 'forward':
        if (!current) return false;
        navigate(mailPaths.compose({ [action]: current }));
        return true;
      case 'delete':
        void doDelete(targets());
        return true;
      case 'flag': {
        const ids = targets();
        const first = items.find((m) => m.id === ids[0]);
        if (first) void doFlag(ids, 'flagged', !first.flags.flagged);
        return true;
      }
      default:
        return false;
    }
  };
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const { bindShortcuts } = props;
  useEffect(() => {
    bindShortcuts((a) => handlerRef.current(a));
    return () => bindShortcuts(null);
  }, [bindShortcuts]);

  const onToggle = (id: string, index: number, range: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      const on = !prev.has(id);
      if (range && anchor >= 0) {
        const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
        for (const m of items.slice(a, b + 1)) {
          if (on) next.add(m.id);
          else next.delete(m.id);
        }
      } else if (on) next.add(id);
      else next.delete(id);
      return next;
    });
    setAnchor(index);
  };
  const allSelected = items.length > 0 && selected.size === items.length;
  const listLabel =
    source.kind === 'folder'
      ? t('mail.list.label', { folder: folderName(source.folder) })
      : t('mail.search.results', { q: source.filters.q });
  const showRecipients =
    source.kind === 'folder' && (source.folder.role === 'sent' || source.folder.role === 'drafts');
  const ids = [...selected];
  const openSummary = openIndex >= 0 ? items[openIndex] : undefined;
  const inSent =
    (source.kind === 'folder' && source.folder.role === 'sent') ||
    (openSummary !== undefined && roleOf(openSummary) === 'sent');

  return (
    <div className={`mailbox${openId ? ' has-open' : ''}`}>
      <section className="mail-list-pane" aria-labelledby="mail-list-title">
        <div className="mail-list-head">
          <h2 id="mail-list-title" className="mail-list-title">
            {source.kind === 'folder'
              ? folderName(source.folder)
              : t('mail.search.results', { q: source.filters.q })}
          </h2>
          {source.kind === 'search' ? (
            <button type="button" className="button-link" onClick={() => navigate(mailPaths.inbox)}>
              {t('mail.search.clear')}
            </button>
          ) : null}
        </div>
        <fieldset className="mail-actions">
          <legend className="visually-hidden">{t('mail.actions.label')}</legend>
          <label className="check mail-select-all">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((m) => m.id)))}
            />
            <span>
              {selected.size > 0
                ? t('mail.list.selected', { count: selected.size })
                : t('mail.list.selectAll')}
            </span>
          </label>
          {selected.size > 0 ? (
            <>
              <button type="button" className="button-small" onClick={() => doFlag(ids, 'seen', true)}>
                {t('mail.actions.read')}
              </button>
              <button type="button" className="button-small" onClick={() => doFlag(ids, 'seen', false)}>
                {t('mail.actions.unread')}
              </button>
              <button type="button" className="button-small" onClick={() => doFlag(ids, 'flagged', true)}>
                {t('mail.actions.flag')}
              </button>
              <button type="button" className="button-small" onClick={() => doFlag(ids, 'flagged', false)}>
                {t('mail.actions.unflag')}
              </button>
              <span className="mail-move">
                <label htmlFor={moveId} className="visually-hidden">
                  {t('mail.actions.moveTo')}
                </label>
                <select id={moveId} value={moveTarget} onChange={(e) => setMoveTarget(e.target.value)}>
                  <option value="">{t('mail.actions.moveTo')}</option>
                  {folderTree(props.folders)
                    .filter(({ folder }) => source.kind !== 'folder' || folder.id !== source.folder.id)
                    .map(({ folder, depth }) => (
                      <option key={folder.id} value={folder.id}>
                        {`${'  '.repeat(depth)}${folderName(folder)}`}
                      </option>
                    ))}
                </select>
                <button
                  type="button"
                  className="button-small"
                  disabled={!moveTarget}
                  onClick={() => {
                    doMove(ids, moveTarget);
                    setMoveTarget('');
                  }}
                >
                  {t('mail.actions.move')}
                </button>
              </span>
              <button type="button" className="button-small button-danger" onClick={() => doDelete(ids)}>
                {inTrash ? t('mail.actions.deleteForever') : t('mail.actions.delete')}
              </button>
            </>
          ) : null}
        </fieldset>
        <ErrorMessage error={error} />
        {loading ? (
          <p className="status" role="status">
            {t('mail.loading')}
          </p>
        ) : (
          <MessageList
            label={listLabel}
            items={items}
            showRecipients={showRecipients}
            selected={selected}
            cursor={cursor}
            openId={openId}
            hasMore={nextCursor !== null}
            loadingMore={loadingMore}
            hrefOf={hrefOf}
            onOpen={open}
            onToggle={onToggle}
            onToggleFlag={toggleFlag}
            onLoadMore={loadMore}
            focusId={focusId}
            onFocused={clearFocus}
          />
        )}
      </section>
      {openId ? (
        <section className="mail-message-pane" aria-label={t('mail.message.body')}>
          <MessageView
            key={openId}
            id={openId}
            inSent={inSent}
            onLoaded={onLoaded}
            onBack={back}
            onDelete={() => doDelete([openId])}
            onToggleFlag={toggleFlag}
            onPrev={openIndex > 0 ? () => step(-1) : null}
            onNext={openIndex >= 0 && openIndex < items.length - 1 ? () => step(1) : null}
            hrefOf={(m) => mailPaths.message(m.folderId, m.id)}
          />
        </section>
      ) : null}
    </div>
  );
}
