// 메일 백업 (/mail/export): export the whole mailbox as mbox or a zip of .eml files, with a progress
// bar (the server counts messages done / total; polled every second), then download. Earlier
// exports are listed with their download links until they expire.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../api/http.ts';
import { useI18n } from '../../../i18n/context.tsx';
import { formatDateTime } from '../../../ui/datetime.ts';
import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { type ExportJob, exportDownloadUrl, send } from '../compose/send-api.ts';
import { formatBytes } from '../format.ts';

export const POLL_MS = 1000;

export function exportPercent(job: ExportJob): number {
  if (job.state === 'done') return 100;
  if (job.total <= 0) return 0;
  return Math.min(100, Math.floor((job.done / job.total) * 100));
}

export default function ExportScreen() {
  const { t, lang } = useI18n();
  const [format, setFormat] = useState<'mbox' | 'zip'>('zip');
  const [job, setJob] = useState<ExportJob | null>(null);
  const [earlier, setEarlier] = useState<ExportJob[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const poll = useCallback((id: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      try {
        const next = await send.exportJob(id);
        setJob(next);
        if (next.state === 'queued' || next.state === 'running') poll(id);
      } catch (err) {
        setError(err);
      }
    }, POLL_MS);
  }, []);

  useEffect(() => {
    let live = true;
    send.exports().then(
      (list) => {
        if (!live) return;
        setEarlier(list);
        const running = list.find((e) => e.state === 'queued' || e.state === 'running');
        if (running) {
          setJob(running);
          poll(running.id);
        }
      },
      (err) => live && setError(err),
    );
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
    };
  }, [poll]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const j = await send.startExport(format);
      setJob(j);
      poll(j.id);
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  };

  const busy = job !== null && (job.state === 'queued' || job.state === 'running');
  const pct = job ? exportPercent(job) : 0;
  const now = Date.now();
  const others = earlier.filter(
    (e) => e.id !== job?.id && e.state === 'done' && Date.parse(e.expiresAt) > now,
  );

  return (
    <section className="mail-pane-body export" aria-labelledby="export-title">
      <h2 id="export-title">{t('mail.export.title')}</h2>
      <p className="lead">{t('export.intro')}</p>
      <fieldset className="export-format">
        <legend>{t('export.format')}</legend>
        <label>
          <input
            type="radio"
            name="export-format"
            checked={format === 'zip'}
            onChange={() => setFormat('zip')}
          />
          {t('export.format.zip')}
        </label>
        <label>
          <input
            type="radio"
            name="export-format"
            checked={format === 'mbox'}
            onChange={() => setFormat('mbox')}
          />
          {t('export.format.mbox')}
        </label>
      </fieldset>
      <button
        type="button"
        className="button button-primary"
        disabled={starting || busy}
        onClick={() => void start()}
      >
        {t('export.start')}
      </button>
      <ErrorMessage error={error} />
      {job ? (
        <div className="export-job" data-state={job.state}>
          <label htmlFor="export-progress" className="export-progress-label">
            {job.state === 'done'
              ? t('export.done', { total: job.total })
              : job.state === 'failed'
                ? t('export.failed')
                : t('export.progress', { done: job.done, total: job.total })}
          </label>
          <progress id="export-progress" max={100} value={pct} aria-valuetext={`${pct}%`} />
          <p className="status" role="status">
            {busy ? t('export.running', { pct }) : ''}
          </p>
          {job.state === 'failed' && job.errorCode ? (
            <ErrorMessage error={new ApiError(500, job.errorCode)} />
          ) : null}
          {job.state === 'done' ? (
            <p>
              <a className="button button-primary" href={exportDownloadUrl(job.id)} download>
                {t('export.download', { size: formatBytes(job.size ?? 0) })}
              </a>{' '}
              <span className="hint">{t('export.expires', { at: formatDateTime(job.expiresAt, lang) })}</span>
            </p>
          ) : null}
        </div>
      ) : null}
      {others.length ? (
        <section aria-labelledby="export-earlier">
          <h3 id="export-earlier">{t('export.earlier')}</h3>
          <ul className="export-list">
            {others.map((e) => (
              <li key={e.id}>
                <a href={exportDownloadUrl(e.id)} download>
                  {t('export.earlierItem', {
                    at: formatDateTime(e.createdAt, lang),
                    format: e.format === 'zip' ? 'ZIP (.eml)' : 'mbox',
                    size: formatBytes(e.size ?? 0),
                  })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
