// The message list: windowed (only the rows in view are in the DOM), with unread / flag / attachment
// markers, a check box per row for multi-select, and a keyboard cursor (j/k) that the parent moves.
import { type MouseEvent, type UIEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageSummary } from './api.ts';
import { displayName, formatListDate } from './format.ts';
import { nearEnd, rowWindow, scrollToRow } from './windowing.ts';

/** Height of a row in px; the stylesheet gives `.mail-row` exactly this height. */
export const ROW_HEIGHT = 76;
const OVERSCAN = 8;

export function MessageList(props: {
  readonly label: string;
  readonly items: readonly MessageSummary[];
  /** the folder shows the recipients instead of the sender (Sent, Drafts) */
  readonly showRecipients: boolean;
  readonly selected: ReadonlySet<string>;
  readonly cursor: number;
  readonly openId: string | null;
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly hrefOf: (m: MessageSummary) => string;
  readonly onOpen: (m: MessageSummary, index: number) => void;
  readonly onToggle: (id: string, index: number, range: boolean) => void;
  readonly onToggleFlag: (m: MessageSummary) => void;
  readonly onLoadMore: () => void;
  /** the row to give the keyboard focus to (after closing a message), cleared by the parent */
  readonly focusId: string | null;
  readonly onFocused: () => void;
}) {
  const { lang, t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const count = props.items.length;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || 800);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keep the keyboard cursor in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || props.cursor < 0) return;
    const next = scrollToRow(props.cursor, ROW_HEIGHT, el.scrollTop, el.clientHeight);
    if (next !== el.scrollTop) el.scrollTop = next;
  }, [props.cursor]);

  const win = rowWindow({
    count,
    rowHeight: ROW_HEIGHT,
    scrollTop,
    viewportHeight: viewport,
    overscan: OVERSCAN,
  });
  const { hasMore, loadingMore, onLoadMore } = props;
  const wantMore = hasMore && !loadingMore && nearEnd(win, count, OVERSCAN * 2);
  useEffect(() => {
    if (wantMore) onLoadMore();
  }, [wantMore, onLoadMore]);

  // Focus a row asked for by the parent (the message that was just closed), scrolling it into view.
  const { focusId, onFocused } = props;
  useEffect(() => {
    if (!focusId) return;
    const index = props.items.findIndex((m) => m.id === focusId);
    const el = scroller.current;
    if (index >= 0 && el) {
      el.scrollTop = scrollToRow(index, ROW_HEIGHT, el.scrollTop, el.clientHeight);
      setScrollTop(el.scrollTop);
      for (const row of el.querySelectorAll<HTMLElement>('.mail-row')) {
        if (row.dataset.id === focusId) row.querySelector<HTMLElement>('.mail-row-link')?.focus();
      }
    }
    onFocused();
  }, [focusId, onFocused, props.items]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => setScrollTop(event.currentTarget.scrollTop);
  const rows = props.items.slice(win.start, win.end);

  return (
    <div className="mail-list-scroller" ref={scroller} onScroll={onScroll}>
      {count === 0 && !hasMore ? <p className="mail-list-empty">{t('mail.list.empty')}</p> : null}
      <div className="mail-list-sizer" style={{ height: `${win.totalHeight}px` }}>
        <ul
          className="mail-list"
          aria-label={props.label}
          style={{ transform: `translateY(${win.offsetTop}px)` }}
        >
          {rows.map((m, i) => {
            const index = win.start + i;
            const who = props.showRecipients
              ? t('mail.list.to', { names: m.to.map((a) => a.name || a.address).join(', ') || '—' })
              : (displayName(m.from) ?? t('mail.list.noSender'));
            const subject = m.subject || t('mail.list.noSubject');
            const classes = [
              'mail-row',
              m.flags.seen ? 'is-read' : 'is-unread',
              props.selected.has(m.id) ? 'is-selected' : '',
              index === props.cursor ? 'is-cursor' : '',
              m.id === props.openId ? 'is-open' : '',
            ]
              .filter(Boolean)
              .join(' ');
            const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
                return;
              event.preventDefault();
              props.onOpen(m, index);
            };
            return (
              <li
                key={m.id}
                className={classes}
                data-id={m.id}
                aria-setsize={hasMore ? -1 : count}
                aria-posinset={index + 1}
              >
                <input
                  type="checkbox"
                  className="mail-row-check"
                  checked={props.selected.has(m.id)}
                  onChange={(e) =>
                    props.onToggle(m.id, index, (e.nativeEvent as globalThis.MouseEvent).shiftKey === true)
                  }
                  aria-label={t('mail.list.select', { subject })}
                />
                <a
                  className="mail-row-link"
                  href={props.hrefOf(m)}
                  onClick={onClick}
                  aria-current={m.id === props.openId ? 'true' : undefined}
                >
                  <span className="mail-row-top">
                    <span className="mail-row-from">
                      {m.flags.seen ? null : (
                        <span className="visually-hidden">{t('mail.list.unread')}, </span>
                      )}
                      {who}
                    </span>
                    <span className="mail-row-date">{formatListDate(m.receivedAt, lang)}</span>
                  </span>
                  <span className="mail-row-subject">
                    {m.external ? <span className="badge-external">{t('mail.list.external')}</span> : null}
                    {subject}
                  </span>
                  <span className="mail-row-excerpt">{m.excerpt}</span>
                  {m.hasAttachments ? (
                    <span className="mail-row-attachment" role="img" aria-label={t('mail.list.attachment')}>
                      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
                        <path d="M10.5 3.5 5 9a1.8 1.8 0 0 0 2.5 2.5L13 6a3 3 0 0 0-4.2-4.2L3.2 7.4a4.2 4.2 0 0 0 6 6L13 9.6" />
                      </svg>
                    </span>
                  ) : null}
                </a>
                <button
                  type="button"
                  className={`mail-row-flag${m.flags.flagged ? ' is-flagged' : ''}`}
                  aria-pressed={m.flags.flagged}
                  aria-label={`${t('mail.list.flagged')}: ${subject}`}
                  onClick={() => props.onToggleFlag(m)}
                >
                  <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
                    <path d="M8 1.5l1.9 4 4.4.5-3.3 3 .9 4.3L8 11.1l-3.9 2.2.9-4.3-3.3-3 4.4-.5z" />
                  </svg>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      {props.loadingMore ? (
        <p className="mail-list-more" role="status">
          {t('mail.list.loadingMore')}
        </p>
      ) : null}
    </div>
  );
}
