// The gate kiosk (/kiosk): full screen, large ALLOW / DENY with the reason in Korean and English,
// camera scanning and keyboard-wedge input (USB scanners), offline decisions with the cached
// bundle, a log queue synchronised when online. Set up once by an administrator with the gate's
// setup code.
import { formatMessage, isErrorCode } from '@gongjik/errors';
import type { GateDecision } from '@gongjik/mobile-id';
import {
  type FormEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { useI18n } from '../../i18n/context.tsx';
import { type Lang, translate } from '../../i18n/format.ts';
import { Camera } from './Camera.tsx';
import { Kiosk } from './station.ts';

/** How long a decision stays on screen. */
const SHOW_ALLOW_MS = 4000;
const SHOW_DENY_MS = 7000;
/** How often the kiosk checks whether its bundle is due. */
const CHECK_MS = 15_000;

const message = (code: string, lang: Lang, details: Record<string, string | number> = {}) =>
  isErrorCode(code) ? formatMessage(code, lang, details) : code;

function useKiosk(): Kiosk {
  const kiosk = useMemo(() => new Kiosk(), []);
  useEffect(() => {
    void kiosk.load();
  }, [kiosk]);
  return kiosk;
}

export default function GateKiosk() {
  const { t, lang, setLang } = useI18n();
  const kiosk = useKiosk();
  const state = useSyncExternalStore(kiosk.subscribe, kiosk.getState);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    document.title = `${t('gate.title')} — ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    document.body.classList.add('kiosk-body');
    return () => document.body.classList.remove('kiosk-body');
  }, []);
  useEffect(() => {
    const unsub = kiosk.subscribe(() => setLoaded(true));
    return () => {
      unsub();
    };
  }, [kiosk]);

  // Refresh on the bundle's TTL, and as soon as the network comes back.
  useEffect(() => {
    if (!state.configured) return;
    const check = () => {
      if (kiosk.due()) void kiosk.sync(false);
    };
    const online = () => void kiosk.sync(true);
    const timer = setInterval(check, CHECK_MS);
    window.addEventListener('online', online);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, [kiosk, state.configured]);

  const other: Lang = lang === 'ko' ? 'en' : 'ko';
  return (
    <div className="kiosk">
      <main className="kiosk-main">
        {!loaded ? null : state.configured && state.station ? (
          <Station kiosk={kiosk} />
        ) : (
          <Setup kiosk={kiosk} />
        )}
      </main>
      <footer className="kiosk-footer">
        <button type="button" className="button-link" lang={other} onClick={() => setLang(other)}>
          {t(other === 'ko' ? 'lang.ko' : 'lang.en')}
        </button>
      </footer>
    </div>
  );
}

function Setup(props: { readonly kiosk: Kiosk }) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.kiosk.setup(code);
      setCode('');
    } catch (err) {
      const c = (err as { code?: string }).code;
      setError(
        message(
          c ?? 'ERR_GATE_SETUP_CODE_INVALID',
          lang,
          (err as { details?: Record<string, string> }).details,
        ),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel kiosk-setup">
      <h1>{t('gate.setup.title')}</h1>
      <p className="lead">{t('gate.setup.intro')}</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="gate-setup-code">{t('gate.setup.code')}</label>
          <textarea
            id="gate-setup-code"
            rows={4}
            value={code}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setCode(e.target.value)}
            required
          />
        </div>
        {error ? (
          <p className="alert alert-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('gate.setup.busy') : t('gate.setup.submit')}
        </button>
      </form>
    </div>
  );
}

type Shown = { kind: 'checking' } | { kind: 'decision'; decision: GateDecision };

function Station(props: { readonly kiosk: Kiosk }) {
  const { kiosk } = props;
  const { t, lang } = useI18n();
  const state = useSyncExternalStore(kiosk.subscribe, kiosk.getState);
  const station = state.station!;
  const [shown, setShown] = useState<Shown | null>(null);
  const [camera, setCamera] = useState(false);
  const wedge = useRef<HTMLInputElement>(null);
  const clearTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const queue = useRef(Promise.resolve());

  const decide = useCallback(
    (text: string) => {
      const qr = text.trim();
      if (qr === '') return;
      // One decision at a time, in scan order.
      queue.current = queue.current.then(async () => {
        clearTimeout(clearTimer.current);
        setShown({ kind: 'checking' });
        const decision = await kiosk.decide(qr);
        setShown({ kind: 'decision', decision });
        clearTimer.current = setTimeout(() => setShown(null), decision.allow ? SHOW_ALLOW_MS : SHOW_DENY_MS);
      });
    },
    [kiosk],
  );

  useEffect(() => () => clearTimeout(clearTimer.current), []);

  // Keep the scanner's input focused (a USB scanner types into whatever has the focus).
  const refocus = useCallback(() => {
    setTimeout(() => {
      const a = document.activeElement;
      if (!a || a === document.body) wedge.current?.focus();
    }, 0);
  }, []);
  useEffect(() => {
    wedge.current?.focus();
  }, []);

  const fullScreen = () => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
    wedge.current?.focus();
  };

  const last = state.lastSync ? state.lastSync.toLocaleTimeString(lang === 'ko' ? 'ko-KR' : 'en-GB') : null;
  const stale = Date.now() / 1000 >= station.refreshAt + 600;
  const retired =
    state.syncError?.code === 'ERR_GATE_DISABLED' || state.syncError?.code === 'ERR_GATE_UNKNOWN';
  return (
    <div className="kiosk-station">
      <header className="kiosk-bar">
        <div>
          <h1 className="kiosk-title">{t('gate.title')}</h1>
          <p className="kiosk-info">
            {t('gate.info', {
              name: station.gate.name,
              group: station.gate.gateGroup,
              building: station.gate.building,
            })}
          </p>
        </div>
        <div className="kiosk-tools">
          <button type="button" className="button button-secondary" onClick={fullScreen}>
            {t('gate.fullscreen')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              void kiosk.sync(true);
              wedge.current?.focus();
            }}
          >
            {t('gate.sync.now')}
          </button>
          {!camera ? (
            <button type="button" className="button button-secondary" onClick={() => setCamera(true)}>
              {t('gate.camera.start')}
            </button>
          ) : null}
        </div>
      </header>

      <section
        className={`kiosk-result ${shown?.kind === 'decision' ? (shown.decision.allow ? 'is-allow' : 'is-deny') : 'is-idle'}`}
        aria-live="assertive"
        data-testid="kiosk-result"
        data-decision={shown?.kind === 'decision' ? (shown.decision.allow ? 'allow' : 'deny') : 'idle'}
        data-code={shown?.kind === 'decision' ? (shown.decision.code ?? '') : ''}
      >
        {shown === null ? (
          <>
            <p className="kiosk-big" lang="ko">
              {translate('ko', 'gate.idle')}
            </p>
            <p className="kiosk-sub" lang="en">
              {translate('en', 'gate.idle')}
            </p>
          </>
        ) : shown.kind === 'checking' ? (
          <p className="kiosk-big">{t('gate.checking')}</p>
        ) : shown.decision.allow ? (
          <>
            <p className="kiosk-verdict">
              <span lang="ko">{translate('ko', 'gate.allow')}</span>{' '}
              <span lang="en">{translate('en', 'gate.allow')}</span>
            </p>
            <p className="kiosk-sub">{t('gate.agency', { agency: shown.decision.agencyCode ?? '' })}</p>
          </>
        ) : (
          <>
            <p className="kiosk-verdict">
              <span lang="ko">{translate('ko', 'gate.deny')}</span>{' '}
              <span lang="en">{translate('en', 'gate.deny')}</span>
            </p>
            <p className="kiosk-reason" lang="ko">
              {message(shown.decision.code ?? 'ERR_MID_MALFORMED', 'ko', shown.decision.details)}
            </p>
            <p className="kiosk-reason-en" lang="en">
              {message(shown.decision.code ?? 'ERR_MID_MALFORMED', 'en', shown.decision.details)}
            </p>
            <p className="kiosk-code">{shown.decision.code}</p>
          </>
        )}
      </section>

      <div className="kiosk-inputs">
        <form
          className="kiosk-wedge"
          onSubmit={(e) => {
            e.preventDefault();
            const input = wedge.current;
            if (!input) return;
            decide(input.value);
            input.value = '';
          }}
        >
          <label htmlFor="gate-wedge">{t('gate.wedge.label')}</label>
          <input
            id="gate-wedge"
            ref={wedge}
            type="text"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby="gate-wedge-hint"
            onBlur={refocus}
            data-testid="gate-wedge"
          />
          <p id="gate-wedge-hint" className="hint">
            {t('gate.wedge.hint')}
          </p>
        </form>
        {camera ? (
          <Camera
            onScan={decide}
            onStop={() => {
              setCamera(false);
              wedge.current?.focus();
            }}
          />
        ) : null}
      </div>

      <p className={`kiosk-status ${state.online ? '' : 'is-offline'}`} role="status">
        {state.online ? t('gate.sync.online') : t('gate.sync.offline')}
        {' · '}
        {last ? t('gate.sync.last', { time: last }) : t('gate.sync.never')}
        {state.queued > 0 ? ` · ${t('gate.sync.queue', { count: state.queued })}` : ''}
        {state.syncError && state.online
          ? ` · ${t('gate.sync.failed', { reason: message(state.syncError.code, lang, state.syncError.details) })}`
          : ''}
        {stale ? ` · ${t('gate.stale')}` : ''}
      </p>
      {retired ? (
        // Only a gate the server no longer accepts can be cleared here: a passer-by cannot switch a
        // working kiosk off.
        <p className="kiosk-reset">
          <button
            type="button"
            className="button-link"
            onClick={() => {
              if (window.confirm(t('gate.resetConfirm'))) void kiosk.reset();
            }}
          >
            {t('gate.reset')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
