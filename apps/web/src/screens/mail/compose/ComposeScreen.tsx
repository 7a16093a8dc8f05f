// 메일 쓰기 (/mail/compose; ?reply= ?replyAll= ?forward= ?draft=): recipients with directory
// autocomplete and the 조직도 picker, subject, rich-text body, attachments with upload progress,
// autosaved drafts, and send. Refusals show the server's message for their code.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ApiError, NetworkError, problemDetails } from '../../../api/http.ts';
import { navigate } from '../../../app/router.ts';
import { useSession } from '../../../app/session.ts';
import { ClientError } from '../../../errors/client-error.ts';
import { useI18n } from '../../../i18n/context.tsx';
import { formatDateTime } from '../../../ui/datetime.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { mail } from '../api.ts';
import { formatBytes } from '../format.ts';
import { mailPaths } from '../paths.ts';
import { ReceiptsPanel } from '../receipts/ReceiptsPanel.tsx';
import { type Autosave, createAutosave, type SaveState } from './autosave.ts';
import { type Field, OrgPicker } from './OrgPicker.tsx';
import { htmlToPlainText } from './plain-text.ts';
import { quotedStart } from './quote.ts';
import { RecipientField } from './RecipientField.tsx';
import { RichTextEditor } from './RichTextEditor.tsx';
import { addRecipients, fromMailbox, type Recipient, toMailbox } from './recipients.ts';
import { csrfHeaders, type DraftBody, send } from './send-api.ts';
import {
  attachmentRefs,
  DEFAULT_MAX_UPLOAD_BYTES,
  percent,
  reduceUploads,
  startUpload,
  type UploadItem,
  uploading,
} from './uploads.ts';

type Mode =
  | { readonly kind: 'new' }
  | { readonly kind: 'reply' | 'replyAll' | 'forward'; readonly id: string }
  | { readonly kind: 'draft'; readonly id: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function modeOf(search: string): Mode {
  const p = new URLSearchParams(search);
  for (const kind of ['draft', 'reply', 'replyAll', 'forward'] as const) {
    const id = p.get(kind);
    if (id && ID.test(id)) return { kind, id };
  }
  return { kind: 'new' };
}

const searchPeople = (q: string) => send.searchPeople(q);

function uploadError(status: number, body: string): unknown {
  try {
    const problem = JSON.parse(body) as Record<string, unknown>;
    return new ApiError(
      status,
      typeof problem.code === 'string' ? problem.code : null,
      problemDetails(problem),
    );
  } catch {
    return new ApiError(status, null);
  }
}

let localKeys = 0;

export default function ComposeScreen() {
  const { t, lang } = useI18n();
  const session = useSession();
  const me = session?.account.address ?? '';
  const mode = useMemo(() => modeOf(window.location.search), []);
  const [loading, setLoading] = useState(mode.kind !== 'new');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [to, setTo] = useState<Recipient[]>([]);
  const [cc, setCc] = useState<Recipient[]>([]);
  const [bcc, setBcc] = useState<Recipient[]>([]);
  const [subject, setSubject] = useState('');
  const [uploads, dispatchUpload] = useReducer(reduceUploads, []);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'clean', savedAt: null });
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [sent, setSent] = useState<{ id: string } | null>(null);
  const [orgOpen, setOrgOpen] = useState(false);
  const editor = useRef<HTMLDivElement | null>(null);
  const draft = useRef<{ id: string | null; version: number }>({ id: null, version: 0 });
  const parent = useRef<{ inReplyTo: string | null; forwardOf: string | null }>({
    inReplyTo: mode.kind === 'reply' || mode.kind === 'replyAll' ? mode.id : null,
    forwardOf: mode.kind === 'forward' ? mode.id : null,
  });
  const cancels = useRef(new Map<string, () => void>());
  const suspended = useRef(false);
  const inflight = useRef<Promise<unknown> | null>(null);

  // The latest values for the autosave callback (which outlives renders).
  const current = useRef({ to, cc, bcc, subject, uploads });
  current.current = { to, cc, bcc, subject, uploads };

  const body = useCallback((): DraftBody => {
    const c = current.current;
    const el = editor.current;
    const html = el?.innerHTML ?? '';
    const text = el ? htmlToPlainText(el) : '';
    return {
      to: c.to.map(toMailbox),
      cc: c.cc.map(toMailbox),
      bcc: c.bcc.map(toMailbox),
      subject: c.subject,
      html: text || /<img|<a /i.test(html) ? html : null,
      text,
      attachments: attachmentRefs(c.uploads).map((r) => ({ ...r })),
      inReplyTo: parent.current.inReplyTo,
      forwardOf: parent.current.forwardOf,
    };
  }, []);

  const autosave = useRef<Autosave | null>(null);
  useEffect(() => {
    const a = createAutosave({
      onChange: setSaveState,
      save: async () => {
        if (suspended.current) return new Date();
        const b = body();
        const run = draft.current.id
          ? send.saveDraft(draft.current.id, draft.current.version, b)
          : send.createDraft(b);
        inflight.current = run;
        try {
          const saved = await run;
          const first = draft.current.id === null;
          draft.current = { id: saved.id, version: saved.version };
          // Reloading the page (or coming back) reopens this draft.
          if (first) window.history.replaceState(null, '', mailPaths.compose({ draft: saved.id }));
          return new Date(saved.updatedAt);
        } finally {
          inflight.current = null;
        }
      },
    });
    autosave.current = a;
    return () => a.dispose();
  }, [body]);

  const edited = useCallback(() => {
    if (!loading) autosave.current?.edit();
  }, [loading]);

  // Start: a reply/forward quotes the original; a draft is restored as saved.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, for the address it was opened with.
  useEffect(() => {
    if (mode.kind === 'new') return;
    let live = true;
    (async () => {
      try {
        if (mode.kind === 'draft') {
          // `?draft=` names the draft, or its copy in the Drafts folder (what the message list shows).
          const d =
            (await send.drafts()).find((x) => x.id === mode.id || x.entryId === mode.id) ??
            (await send.draft(mode.id));
          if (!live) return;
          draft.current = { id: d.id, version: d.version };
          const data = d.draft;
          const list = (v: unknown) =>
            (Array.isArray(v) ? v : []).map(fromMailbox).filter((r): r is Recipient => r !== null);
          setTo(list(data.to));
          setCc(list(data.cc));
          setBcc(list(data.bcc));
          setSubject(typeof data.subject === 'string' ? data.subject : '');
          parent.current = {
            inReplyTo: typeof data.inReplyTo === 'string' ? data.inReplyTo : null,
            forwardOf: typeof data.forwardOf === 'string' ? data.forwardOf : null,
          };
          if (editor.current) {
            if (typeof data.html === 'string') editor.current.innerHTML = data.html;
            else if (typeof data.text === 'string') editor.current.textContent = data.text;
          }
          // Attachment names: the draft keeps references; its copy in Drafts has the names, in order.
          const refs = Array.isArray(data.attachments) ? (data.attachments as Record<string, unknown>[]) : [];
          let parts: { filename: string | null; size: number }[] = [];
          if (refs.length && d.entryId) {
            const copy = await mail.message(d.entryId, false);
            parts = copy.attachments.filter((a) => !a.inline);
          }
          refs.forEach((r, i) => {
            const ref = {
              ...(typeof r.uploadId === 'string' ? { uploadId: r.uploadId } : {}),
              ...(typeof r.messageId === 'string' ? { messageId: r.messageId } : {}),
              ...(typeof r.partId === 'string' ? { partId: r.partId } : {}),
            };
            dispatchUpload({
              type: 'restore',
              key: `r${++localKeys}`,
              name: parts[i]?.filename ?? t('compose.attach.unnamed', { n: i + 1 }),
              size: parts[i]?.size ?? 0,
              ref,
            });
          });
          setSaveState({ kind: 'clean', savedAt: new Date(d.updatedAt) });
        } else {
          const original = await mail.message(mode.id, false);
          if (!live) return;
          const start = quotedStart(original, mode.kind, me, {
            wrote: (date, who) => t('compose.quote.wrote', { date, who }),
            forwarded: t('compose.quote.forwarded'),
            from: t('mail.message.from'),
            to: t('mail.message.to'),
            cc: t('mail.message.cc'),
            date: t('mail.message.date'),
            subject: t('compose.subject'),
            formatDate: (iso) => formatDateTime(iso, lang),
          });
          setTo(start.to);
          setCc(start.cc);
          setSubject(start.subject);
          if (editor.current) editor.current.innerHTML = start.html;
          if (mode.kind === 'forward') {
            original.attachments
              .filter((a) => !a.inline)
              .forEach((a) => {
                dispatchUpload({
                  type: 'restore',
                  key: `f${++localKeys}`,
                  name: a.filename ?? a.partId,
                  size: a.size,
                  ref: { messageId: original.id, partId: a.partId },
                });
              });
          }
        }
      } catch (err) {
        if (live) setLoadError(err);
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  // Every change of the fields counts as an edit for the autosave — except the first render and
  // the render that fills them from the original or the draft (the one that ends loading).
  const settled = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields are the trigger.
  useEffect(() => {
    if (!settled.current) {
      settled.current = !loading;
      return;
    }
    edited();
  }, [loading, to, cc, bcc, subject, uploads.filter((u) => u.state === 'done').length, uploads.length]);

  const addFiles = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = `u${++localKeys}`;
      dispatchUpload({
        type: 'add',
        key,
        name: file.name,
        size: file.size,
        fileType: file.type,
        maxBytes: DEFAULT_MAX_UPLOAD_BYTES,
      });
      if (file.size > DEFAULT_MAX_UPLOAD_BYTES) continue;
      const job = startUpload({
        file,
        headers: csrfHeaders(),
        onProgress: (loaded) => dispatchUpload({ type: 'progress', key, loaded }),
        toError: uploadError,
        networkError: () => new NetworkError(null),
      });
      cancels.current.set(key, job.cancel);
      job.done.then(
        (uploadId) => dispatchUpload({ type: 'done', key, uploadId }),
        (error) =>
          dispatchUpload(error === 'cancelled' ? { type: 'cancelled', key } : { type: 'failed', key, error }),
      );
      job.done.finally(() => cancels.current.delete(key)).catch(() => undefined);
    }
  };

  const onPick = (field: Field, people: Recipient[]) => {
    if (field === 'to') setTo((v) => addRecipients(v, people));
    if (field === 'cc') setCc((v) => addRecipients(v, people));
    if (field === 'bcc') setBcc((v) => addRecipients(v, people));
  };

  const submit = async () => {
    if (sending) return;
    setSendError(null);
    if (to.length + cc.length + bcc.length === 0) {
      setSendError(new ClientError('compose.error.noRecipients'));
      document.getElementById('compose-to')?.focus();
      return;
    }
    if (uploading(uploads)) {
      setSendError(new ClientError('compose.error.uploading'));
      return;
    }
    setSending(true);
    // No autosave may run during or after the send (it would re-create the draft the send removes).
    suspended.current = true;
    try {
      if (inflight.current) await inflight.current.catch(() => undefined);
      const result = await send.send({ ...body(), draftId: draft.current.id });
      autosave.current?.dispose();
      setSent(result);
      window.history.replaceState(null, '', mailPaths.compose());
    } catch (err) {
      suspended.current = false;
      setSendError(err);
      autosave.current?.edit();
    } finally {
      setSending(false);
    }
  };

  const saveNow = () => {
    autosave.current?.edit();
    void autosave.current?.flush();
  };

  if (sent) {
    return (
      <section className="mail-pane-body compose" aria-labelledby="compose-title">
        <h2 id="compose-title">{t('compose.sent.title')}</h2>
        <p role="status" className="compose-sent">
          {t('compose.sent.body')}
        </p>
        <ReceiptsPanel messageId={sent.id} />
        <p className="compose-after">
          <a
            href={mailPaths.inbox}
            onClick={(e) => {
              e.preventDefault();
              navigate(mailPaths.inbox);
            }}
          >
            {t('compose.sent.toInbox')}
          </a>
        </p>
      </section>
    );
  }

  const title =
    mode.kind === 'reply' || mode.kind === 'replyAll'
      ? t('compose.title.reply')
      : mode.kind === 'forward'
        ? t('compose.title.forward')
        : t('mail.compose.title');

  return (
    <section className="mail-pane-body compose" aria-labelledby="compose-title" aria-busy={loading}>
      <h2 id="compose-title">{title}</h2>
      {loading ? <p role="status">{t('compose.loading')}</p> : null}
      <ErrorMessage error={loadError} />
      <form
        className="compose-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={(e) => {
          // Ctrl+Enter (⌘+Enter) sends from any field, the body included.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <div className="compose-recipients">
          <RecipientField
            id="compose-to"
            label={t('compose.to')}
            value={to}
            onChange={setTo}
            search={searchPeople}
          />
          <RecipientField
            id="compose-cc"
            label={t('compose.cc')}
            value={cc}
            onChange={setCc}
            search={searchPeople}
          />
          <RecipientField
            id="compose-bcc"
            label={t('compose.bcc')}
            value={bcc}
            onChange={setBcc}
            search={searchPeople}
          />
          <button type="button" className="button button-small compose-org" onClick={() => setOrgOpen(true)}>
            {t('compose.org.open')}
          </button>
        </div>
        <div className="field compose-subject">
          <label htmlFor="compose-subject">{t('compose.subject')}</label>
          <input
            id="compose-subject"
            type="text"
            maxLength={998}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
        </div>
        <p id="compose-body-label" className="compose-body-label">
          {t('compose.body')}
        </p>
        <RichTextEditor editorRef={editor} labelId="compose-body-label" onInput={edited} />
        <div className="compose-attachments">
          <label className="button button-small file-button">
            {t('compose.attach.add')}
            <input
              type="file"
              multiple
              className="visually-hidden"
              data-testid="compose-file"
              onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          <span className="hint">
            {t('compose.attach.limit', { size: formatBytes(DEFAULT_MAX_UPLOAD_BYTES) })}
          </span>
          {uploads.length ? (
            <ul className="uploads" aria-label={t('compose.attach.list')}>
              {uploads.map((u) => (
                <UploadRow
                  key={u.key}
                  item={u}
                  onCancel={() => cancels.current.get(u.key)?.()}
                  onRemove={() => dispatchUpload({ type: 'remove', key: u.key })}
                />
              ))}
            </ul>
          ) : null}
        </div>
        <ErrorMessage error={sendError} />
        {saveState.kind === 'failed' ? <ErrorMessage error={saveState.error} /> : null}
        <div className="compose-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={sending || loading}
            aria-keyshortcuts="Control+Enter"
          >
            {sending ? t('compose.sending') : t('compose.send')}
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={saveNow}
            disabled={sending || loading}
          >
            {t('compose.saveDraft')}
          </button>
          <SaveStatus state={saveState} />
        </div>
      </form>
      <OrgPicker open={orgOpen} api={send} onClose={() => setOrgOpen(false)} onPick={onPick} />
    </section>
  );
}

function SaveStatus(props: { readonly state: SaveState }) {
  const { t, lang } = useI18n();
  const s = props.state;
  const at = s.savedAt ? formatDateTime(s.savedAt.toISOString(), lang) : null;
  let text = '';
  if (s.kind === 'saving') text = t('compose.draft.saving');
  else if (s.kind === 'failed') text = t('compose.draft.failed');
  else if (s.kind === 'dirty')
    text = at ? t('compose.draft.unsavedSince', { at }) : t('compose.draft.unsaved');
  else if (at) text = t('compose.draft.savedAt', { at });
  return (
    <span className={`save-status save-${s.kind}`} role="status" data-state={s.kind}>
      {text}
    </span>
  );
}

function UploadRow(props: {
  readonly item: UploadItem;
  readonly onCancel: () => void;
  readonly onRemove: () => void;
}) {
  const { t } = useI18n();
  const u = props.item;
  const pct = percent(u);
  return (
    <li className={`upload upload-${u.state}`} data-state={u.state}>
      <span className="upload-name">{u.name}</span>
      <span className="upload-size">{formatBytes(u.size)}</span>
      {u.state === 'uploading' ? (
        <>
          <progress
            className="upload-progress"
            max={100}
            value={pct}
            aria-label={t('compose.attach.progress', { name: u.name })}
            aria-valuetext={`${pct}%`}
          />
          <span className="upload-pct" aria-hidden="true">
            {pct}%
          </span>
          <button type="button" className="button button-small button-quiet" onClick={props.onCancel}>
            {t('compose.attach.cancel')}
            <span className="visually-hidden"> {u.name}</span>
          </button>
        </>
      ) : (
        <>
          <span className="upload-state">
            {u.state === 'done' ? t('compose.attach.done') : null}
            {u.state === 'cancelled' ? t('compose.attach.cancelled') : null}
            {u.state === 'tooLarge'
              ? t('compose.attach.tooLarge', { size: formatBytes(DEFAULT_MAX_UPLOAD_BYTES) })
              : null}
          </span>
          <button type="button" className="button button-small button-quiet" onClick={props.onRemove}>
            {t('compose.attach.remove')}
            <span className="visually-hidden"> {u.name}</span>
          </button>
        </>
      )}
      {u.state === 'failed' ? <ErrorMessage error={u.error} /> : null}
    </li>
  );
}
