// One message: headers (from, to, cc, date in Korean), warnings (external sender, failed DMARC), the
// body in a sandboxed frame, "show images", attachments, the conversation, receipts on sent mail.
import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { type Address, type MessageDetail, type MessageSummary, mail } from './api.ts';
import { dmarcFailed } from './dmarc.ts';
import { displayName, formatAddress, formatBytes, formatFullDate, formatListDate } from './format.ts';
import { MessageFrame } from './MessageFrame.tsx';
import { mailPaths } from './paths.ts';
import { ReceiptsPanel } from './receipts/ReceiptsPanel.tsx';

function AddressList(props: { readonly list: readonly Address[] }) {
  return (
    <ul className="address-list">
      {[...new Map(props.list.map((a) => [a.address.toLowerCase(), a])).entries()].map(([key, a]) => (
        <li key={key}>{formatAddress(a)}</li>
      ))}
    </ul>
  );
}

export function MessageView(props: {
  readonly id: string;
  readonly inSent: boolean;
  readonly onLoaded: (detail: MessageDetail) => void;
  readonly onBack: () => void;
  readonly onDelete: () => void;
  readonly onToggleFlag: (detail: MessageDetail) => void;
  readonly onPrev: (() => void) | null;
  readonly onNext: (() => void) | null;
  readonly hrefOf: (m: MessageSummary) => string;
}) {
  const { lang, t } = useI18n();
  const [detail, setDetail] = useState<MessageDetail | null>(null);
  const [thread, setThread] = useState<MessageSummary[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [images, setImages] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const { id, onLoaded } = props;

  useEffect(() => {
    let live = true;
    setError(null);
    setDetail(null);
    setThread([]);
    setImages(false);
    mail.message(id, false).then(
      (d) => {
        if (!live) return;
        setDetail(d);
        onLoaded(d);
        mail.thread(d.threadId).then(
          (items) => live && setThread(items),
          () => undefined,
        );
      },
      (err) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [id, onLoaded]);

  // Focus the subject once the message is shown (keyboard and screen-reader users start there).
  const loadedId = detail?.id ?? null;
  useEffect(() => {
    if (loadedId) heading.current?.focus();
  }, [loadedId]);

  const showImages = async () => {
    try {
      const d = await mail.message(id, true);
      setDetail(d);
      setImages(true);
    } catch (err) {
      setError(err);
    }
  };

  if (error) {
    return (
      <div className="message-view">
        <button type="button" className="button-small" onClick={props.onBack}>
          {t('mail.message.back')}
        </button>
        <ErrorMessage error={error} />
      </div>
    );
  }
  if (!detail) {
    return (
      <p className="status" role="status">
        {t('mail.message.loading')}
      </p>
    );
  }
  const subject = detail.subject || t('mail.list.noSubject');
  const date = detail.sentAt ?? detail.receivedAt;
  const files = detail.attachments.filter((a) => !a.inline || !a.contentType.startsWith('image/'));
  return (
    <article className="message-view" aria-labelledby="message-subject">
      <div className="message-toolbar">
        <button type="button" className="button-small message-back" onClick={props.onBack}>
          {t('mail.message.back')}
        </button>
        <button
          type="button"
          className="button-small"
          onClick={() => navigate(mailPaths.compose({ reply: detail.id }))}
        >
          {t('mail.message.reply')}
        </button>
        <button
          type="button"
          className="button-small"
          onClick={() => navigate(mailPaths.compose({ replyAll: detail.id }))}
        >
          {t('mail.message.replyAll')}
        </button>
        <button
          type="button"
          className="button-small"
          onClick={() => navigate(mailPaths.compose({ forward: detail.id }))}
        >
          {t('mail.message.forward')}
        </button>
        <button
          type="button"
          className="button-small"
          aria-pressed={detail.flags.flagged}
          onClick={() => {
            props.onToggleFlag(detail);
            setDetail({ ...detail, flags: { ...detail.flags, flagged: !detail.flags.flagged } });
          }}
        >
          {t('mail.list.flagged')}
        </button>
        <button type="button" className="button-small button-danger" onClick={props.onDelete}>
          {t('mail.actions.delete')}
        </button>
        <span className="message-stepper">
          <button
            type="button"
            className="button-small button-icon"
            disabled={!props.onPrev}
            onClick={props.onPrev ?? undefined}
            aria-label={t('mail.message.prev')}
            title={t('mail.message.prev')}
          >
            <span aria-hidden="true">↑</span>
          </button>
          <button
            type="button"
            className="button-small button-icon"
            disabled={!props.onNext}
            onClick={props.onNext ?? undefined}
            aria-label={t('mail.message.next')}
            title={t('mail.message.next')}
          >
            <span aria-hidden="true">↓</span>
          </button>
        </span>
      </div>
      <h2 id="message-subject" ref={heading} tabIndex={-1} className="message-subject">
        {subject}
      </h2>
      {detail.externalSender ? (
        <div className="alert alert-warning" role="note" data-warning="external">
          <p className="alert-body">{t('mail.message.externalWarning')}</p>
        </div>
      ) : null}
      {dmarcFailed(detail) ? (
        <div className="alert alert-error" role="note" data-warning="dmarc">
          <p className="alert-body">
            {t('mail.message.dmarcWarning', {
              domain: detail.auth?.dmarcDomain ?? detail.from?.address.split('@')[1] ?? '?',
            })}
          </p>
        </div>
      ) : null}
      <dl className="message-headers">
        <div>
          <dt>{t('mail.message.from')}</dt>
          <dd>{detail.from ? formatAddress(detail.from) : t('mail.list.noSender')}</dd>
        </div>
        {detail.to.length > 0 ? (
          <div>
            <dt>{t('mail.message.to')}</dt>
            <dd>
              <AddressList list={detail.to} />
            </dd>
          </div>
        ) : null}
        {detail.cc.length > 0 ? (
          <div>
            <dt>{t('mail.message.cc')}</dt>
            <dd>
              <AddressList list={detail.cc} />
            </dd>
          </div>
        ) : null}
        {detail.bcc.length > 0 ? (
          <div>
            <dt>{t('mail.message.bcc')}</dt>
            <dd>
              <AddressList list={detail.bcc} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('mail.message.date')}</dt>
          <dd>
            <time dateTime={date}>{formatFullDate(date, lang)}</time>
          </dd>
        </div>
      </dl>
      {props.inSent ? <ReceiptsPanel messageId={detail.id} /> : null}
      {detail.blockedRemote > 0 && !images ? (
        <div className="alert alert-info images-blocked">
          <p className="alert-body">{t('mail.message.imagesBlocked', { count: detail.blockedRemote })}</p>
          <button type="button" className="button-small" onClick={showImages}>
            {t('mail.message.showImages')}
          </button>
        </div>
      ) : null}
      {detail.htmlError ? (
        <p className="alert alert-warning" data-code={detail.htmlError}>
          {t('mail.message.htmlError')}
        </p>
      ) : null}
      {detail.html === null && !detail.text ? (
        <p className="message-empty">{t('mail.message.noBody')}</p>
      ) : (
        <MessageFrame
          messageId={detail.id}
          html={detail.html}
          text={detail.text}
          images={images}
          lang={lang}
          title={t('mail.message.body')}
        />
      )}
      {files.length > 0 ? (
        <section className="attachments" aria-labelledby="attachments-title">
          <h3 id="attachments-title">{t('mail.message.attachments', { count: files.length })}</h3>
          <ul>
            {files.map((a) => {
              const name = a.filename ?? `part-${a.partId}`;
              return (
                <li key={a.partId}>
                  <a href={a.url} download={name} className="attachment-link">
                    {t('mail.message.download', { name, size: formatBytes(a.size) })}
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {thread.length > 1 ? (
        <section className="thread" aria-labelledby="thread-title">
          <h3 id="thread-title">{t('mail.message.thread', { count: thread.length })}</h3>
          <ol className="thread-list">
            {thread.map((m) => (
              <li key={m.id} className={m.id === detail.id ? 'is-current' : undefined}>
                <a
                  href={props.hrefOf(m)}
                  aria-current={m.id === detail.id ? 'true' : undefined}
                  onClick={(e) => {
                    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                    e.preventDefault();
                    navigate(props.hrefOf(m));
                  }}
                >
                  <span className="thread-from">{displayName(m.from) ?? t('mail.list.noSender')}</span>
                  <span className="thread-date">{formatListDate(m.receivedAt, lang)}</span>
                  <span className="thread-excerpt">{m.excerpt}</span>
                </a>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <p className="message-raw">
        <a href={`/api/v1/messages/${encodeURIComponent(detail.id)}/raw`} download>
          {t('mail.message.raw')}
        </a>
      </p>
    </article>
  );
}
