// One OpenID4VP request on screen: the QR code (cross-device), the deep link into the wallet
// (same-device), the matching code the wallet must also show, the relying party's name, and a poll
// until the wallet answered. Used by the sign-in page and by the library desk.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/http.ts';
import { api } from '../../app/api.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/ko.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { createRequest, type PresentationRequest, pollRequest } from './api.ts';
import { qrPath } from './qr.ts';

const POLL_MS = 1500;

export interface PresentationRequestViewProps {
  /** `/api/v1/auth/mid/requests` or `/api/v1/library/requests` */
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly startLabel: MessageKey;
  /** the final poll answer; return normally to stay on "done" */
  readonly onDone: (body: Record<string, unknown>) => void | Promise<void>;
  /** shows the "open the wallet on this device" link */
  readonly sameDevice?: boolean;
}

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'waiting'; readonly request: PresentationRequest; readonly refused: string | null }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: unknown };

function remaining(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function PresentationRequestView(props: PresentationRequestViewProps) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [now, setNow] = useState(() => Date.now());
  const onDone = useRef(props.onDone);
  onDone.current = props.onDone;

  const start = useCallback(async () => {
    setPhase({ kind: 'starting' });
    try {
      const request = await createRequest(api, props.path, props.body);
      setNow(Date.now());
      setPhase({ kind: 'waiting', request, refused: null });
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }, [props.path, props.body]);

  const request = phase.kind === 'waiting' ? phase.request : null;

  // Poll while waiting; poll at once when the tab comes back (same-device: back from the wallet).
  useEffect(() => {
    if (!request) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const tick = async () => {
      if (stopped || inFlight) return;
      inFlight = true;
      try {
        const answer = await pollRequest(api, props.path, request);
        if (stopped) return;
        if (answer.status === 'done') {
          stopped = true;
          setPhase({ kind: 'done' });
          await onDone.current(answer.body);
          return;
        }
        setPhase((p) =>
          p.kind === 'waiting' && p.refused !== answer.lastError ? { ...p, refused: answer.lastError } : p,
        );
      } catch (error) {
        if (stopped) return;
        stopped = true;
        setPhase({ kind: 'failed', error });
        return;
      } finally {
        inFlight = false;
      }
      timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [request, props.path]);

  useEffect(() => {
    if (!request) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [request]);

  const qr = useMemo(() => (request ? qrPath(request.walletLink) : null), [request]);

  if (phase.kind === 'idle' || phase.kind === 'starting')
    return (
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void start()}
        disabled={phase.kind === 'starting'}
      >
        {phase.kind === 'starting' ? t('mid.starting') : t(props.startLabel)}
      </button>
    );

  if (phase.kind === 'done')
    return (
      <p className="status" role="status">
        {t('mid.done')}
      </p>
    );

  if (phase.kind === 'failed') {
    const expired = phase.error instanceof ApiError && phase.error.code === 'ERR_MID_VP_REQUEST_EXPIRED';
    return (
      <div className="mid-failed">
        {expired ? (
          <p className="status" role="status">
            {t('mid.expired')}
          </p>
        ) : (
          <ErrorMessage error={phase.error} />
        )}
        <button type="button" className="button button-secondary" onClick={() => void start()}>
          {t('mid.restart')}
        </button>
      </div>
    );
  }

  const left = phase.request.expiresAt - now;
  return (
    <div className="mid-request">
      <figure className="mid-qr">
        <svg
          role="img"
          aria-label={t('mid.qrLabel')}
          viewBox={`0 0 ${qr!.size} ${qr!.size}`}
          shapeRendering="crispEdges"
          data-wallet-link={phase.request.walletLink}
        >
          <rect width={qr!.size} height={qr!.size} fill="#fff" />
          <path d={qr!.d} fill="#000" />
        </svg>
      </figure>
      <div className="mid-details">
        <p className="mid-code-label" id="mid-code-label">
          {t('mid.codeLabel')}
        </p>
        <p className="mid-code" data-match-code={phase.request.matchCode}>
          {phase.request.matchCode}
        </p>
        <p className="mid-hint">{t('mid.codeHint', { name: phase.request.verifierName })}</p>
        {phase.refused ? (
          <>
            <p className="status">{t('mid.refused')}</p>
            <ErrorMessage error={new ApiError(403, phase.refused)} />
          </>
        ) : null}
        <p className="status mid-waiting">
          {left > 0 ? t('mid.waiting', { time: remaining(left) }) : t('mid.expired')}
        </p>
        <div className="picker-actions">
          {props.sameDevice ? (
            <a className="button button-primary" href={phase.request.walletLink} rel="noopener">
              {t('mid.sameDevice')}
            </a>
          ) : null}
          <button type="button" className="button button-quiet" onClick={() => setPhase({ kind: 'idle' })}>
            {t('mid.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
