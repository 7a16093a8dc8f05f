// The message body: a contentEditable area with a small toolbar (bold, italic, underline, lists,
// link, quote). Formatting goes through document.execCommand: deprecated on paper but implemented
// by every browser, with undo and the usual shortcuts (Ctrl+B/I/U) for free, and it writes tags
// (<b>, <i>, <u>, <ul>, <blockquote>, <a>) rather than style attributes, which the page's CSP
// would refuse. A full editor library (ProseMirror, Lexical) would add ~100 KB for six buttons.
// The HTML is sanitized again by the server when saved or sent.
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/context.tsx';
import type { MessageKey } from '../../../i18n/ko.ts';
import { escapeHtml } from './quote.ts';

type Command = 'bold' | 'italic' | 'underline' | 'insertUnorderedList' | 'insertOrderedList';

const TOGGLES: readonly { command: Command; label: MessageKey; glyph: string; className: string }[] = [
  { command: 'bold', label: 'compose.editor.bold', glyph: 'B', className: 'tb-bold' },
  { command: 'italic', label: 'compose.editor.italic', glyph: 'I', className: 'tb-italic' },
  { command: 'underline', label: 'compose.editor.underline', glyph: 'U', className: 'tb-underline' },
  { command: 'insertUnorderedList', label: 'compose.editor.bullets', glyph: '•≡', className: '' },
  { command: 'insertOrderedList', label: 'compose.editor.numbers', glyph: '1≡', className: '' },
];

/** Only web and mail links: never javascript:, data: or relative URLs. */
export function safeLink(text: string): string | null {
  const value = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:') return url.href;
  } catch {
    return null;
  }
  return null;
}

function insideBlockquote(node: Node | null, root: HTMLElement): boolean {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode)
    if (n.nodeName === 'BLOCKQUOTE') return true;
  return false;
}

export function RichTextEditor(props: {
  readonly editorRef: RefObject<HTMLDivElement | null>;
  readonly labelId: string;
  readonly onInput: () => void;
}) {
  const { t } = useI18n();
  const [active, setActive] = useState<Record<string, boolean>>({});
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkUrl, setLinkUrl] = useState('');
  const [linkError, setLinkError] = useState(false);
  const saved = useRef<Range | null>(null);
  const linkInput = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    const update = () => {
      const editor = props.editorRef.current;
      const sel = document.getSelection();
      if (!editor || !sel?.anchorNode || !editor.contains(sel.anchorNode)) return;
      const next: Record<string, boolean> = {};
      for (const b of TOGGLES) next[b.command] = document.queryCommandState(b.command);
      next.quote = insideBlockquote(sel.anchorNode, editor);
      setActive((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [props.editorRef]);

  useEffect(() => {
    if (linkOpen) linkInput.current?.focus();
  }, [linkOpen]);

  const run = (command: string, value?: string) => {
    const editor = props.editorRef.current;
    if (!editor) return;
    editor.focus();
    document.execCommand(command, false, value);
    props.onInput();
  };

  const toggleQuote = () => {
    const editor = props.editorRef.current;
    const sel = document.getSelection();
    run('formatBlock', insideBlockquote(sel?.anchorNode ?? null, editor!) ? 'p' : 'blockquote');
  };

  const openLink = () => {
    const sel = document.getSelection();
    const editor = props.editorRef.current;
    saved.current =
      sel && sel.rangeCount > 0 && editor?.contains(sel.anchorNode) ? sel.getRangeAt(0).cloneRange() : null;
    setLinkUrl('');
    setLinkError(false);
    setLinkOpen(true);
  };

  const applyLink = () => {
    const href = safeLink(linkUrl);
    if (!href) {
      setLinkError(true);
      linkInput.current?.focus();
      return;
    }
    const editor = props.editorRef.current;
    if (!editor) return;
    editor.focus();
    const sel = document.getSelection();
    if (saved.current && sel) {
      sel.removeAllRanges();
      sel.addRange(saved.current);
    }
    if (!sel || sel.isCollapsed) run('insertHTML', `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`);
    else run('createLink', href);
    setLinkOpen(false);
  };

  return (
    <div className="editor">
      <div
        className="editor-toolbar"
        role="toolbar"
        aria-label={t('compose.editor.toolbar')}
        aria-controls="compose-body"
      >
        {TOGGLES.map((b) => (
          <button
            key={b.command}
            type="button"
            className={`tb-button ${b.className}`}
            aria-pressed={active[b.command] === true}
            title={t(b.label)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(b.command)}
          >
            <span aria-hidden="true">{b.glyph}</span>
            <span className="visually-hidden">{t(b.label)}</span>
          </button>
        ))}
        <button
          type="button"
          className="tb-button"
          title={t('compose.editor.link')}
          aria-expanded={linkOpen}
          onMouseDown={(e) => e.preventDefault()}
          onClick={openLink}
        >
          <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M6.5 9.5a3 3 0 0 0 4.2 0l2.3-2.3a3 3 0 0 0-4.2-4.2l-.9.9M9.5 6.5a3 3 0 0 0-4.2 0L3 8.8A3 3 0 0 0 7.2 13l.9-.9" />
          </svg>
          <span className="visually-hidden">{t('compose.editor.link')}</span>
        </button>
        <button
          type="button"
          className="tb-button"
          aria-pressed={active.quote === true}
          title={t('compose.editor.quote')}
          onMouseDown={(e) => e.preventDefault()}
          onClick={toggleQuote}
        >
          <span aria-hidden="true">❝</span>
          <span className="visually-hidden">{t('compose.editor.quote')}</span>
        </button>
      </div>
      {linkOpen ? (
        <div className="editor-link">
          <label htmlFor="compose-link-url">{t('compose.editor.linkUrl')}</label>
          <input
            id="compose-link-url"
            ref={linkInput}
            type="url"
            inputMode="url"
            value={linkUrl}
            aria-invalid={linkError}
            aria-describedby={linkError ? 'compose-link-error' : undefined}
            onChange={(e) => setLinkUrl(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyLink();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                setLinkOpen(false);
                props.editorRef.current?.focus();
              }
            }}
          />
          <button type="button" className="button button-small" onClick={applyLink}>
            {t('compose.editor.linkApply')}
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => {
              setLinkOpen(false);
              props.editorRef.current?.focus();
            }}
          >
            {t('compose.cancel')}
          </button>
          {linkError ? (
            <p id="compose-link-error" className="field-error">
              {t('compose.editor.linkInvalid')}
            </p>
          ) : null}
        </div>
      ) : null}
      {/* biome-ignore lint/a11y/useSemanticElements: a rich-text area has no native element. */}
      <div
        id="compose-body"
        ref={props.editorRef}
        className="editor-area"
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        tabIndex={0}
        aria-multiline="true"
        aria-labelledby={props.labelId}
        onInput={props.onInput}
        onFocus={() => document.execCommand('defaultParagraphSeparator', false, 'p')}
      />
    </div>
  );
}
