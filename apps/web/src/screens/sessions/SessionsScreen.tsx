import { useEffect, useState } from 'react';
import { createJsonClient } from '../../api/request.ts';
import { type SessionInfo, sessionsApi } from '../../api/sessions.ts';
import { navigate, ROUTE_PATHS } from '../../app/router.ts';
import { getSession, setSession, useSession } from '../../app/session.ts';
import { useI18n } from '../../i18n/context.tsx';
import { loadLang } from '../../i18n/lang-store.ts';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { describeUserAgent } from './user-agent.ts';

/** Cookie-authenticated; writes carry the session's CSRF token (the browser adds Origin). */
const sessions = sessionsApi(
  createJsonClient({
    lang: () => loadLang(globalThis.localStorage),
    headers: (): Record<string, string> => {
      const csrf = getSession()?.csrfToken;
      return csrf ? { 'X-CSRF-Token': csrf } : {};
    },
  }),
);

type Load =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly list: SessionInfo[] }
  | { readonly kind: 'error'; readonly error: unknown };

function isSessionRequired(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_AUTH_SESSION_REQUIRED' || code === 'ERR_AUTH_SESSION_EXPIRED';
}

/** The signed-in official's sessions: device, IP, times; end one, or all the others. */
export function SessionsScreen() {
  const { lang, t } = useI18n();
  const session = useSession();
  const [state, setState] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger.
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        // A tab with the cookie but without the login answer (new tab): ask the server for it.
        if (!getSession()) setSession(await sessions.current());
        const list = await sessions.list();
        if (live) setState({ kind: 'ready', list });
      } catch (error) {
        if (!live) return;
        if (isSessionRequired(error)) {
          setSession(null);
          navigate(ROUTE_PATHS.login, { replace: true });
        } else setState({ kind: 'error', error });
      }
    })();
    return () => {
      live = false;
    };
  }, [generation]);
  const act = async (change: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setActionError(null);
    setDone(null);
    try {
      setDone(await change());
      setGeneration((g) => g + 1);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  };
  const others = state.kind === 'ready' ? state.list.filter((s) => !s.current) : [];
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('sessions.title')}</ScreenHeading>
      <p className="lead">{t('sessions.intro')}</p>
      {session ? <p className="hint">{t('sessions.account', { address: session.account.address })}</p> : null}
      <p className="status" role="status">
        {state.kind === 'loading' ? t('sessions.loading') : (done ?? '')}
      </p>
      {state.kind === 'error' ? <ErrorMessage error={state.error} /> : null}
      <ErrorMessage error={actionError} />
      {state.kind === 'ready' ? (
        <>
          <ul className="session-list">
            {state.list.map((s) => {
              const ua = describeUserAgent(s.userAgent);
              const device =
                [ua.browser, ua.system].filter(Boolean).join(' · ') || t('sessions.unknownDevice');
              return (
                <li
                  key={s.id}
                  className={s.current ? 'session-item is-current' : 'session-item'}
                  data-session={s.id}
                >
                  <div className="session-head">
                    <h2 className="session-device">{device}</h2>
                    {s.current ? <span className="badge badge-ok">{t('sessions.current')}</span> : null}
                  </div>
                  <dl className="session-meta">
                    <div>
                      <dt>{t('sessions.method')}</dt>
                      <dd>
                        {s.method === 'certificate'
                          ? t('sessions.method.certificate')
                          : t('sessions.method.mobileId')}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('sessions.ip')}</dt>
                      <dd>{s.ip ?? '—'}</dd>
                    </div>
                    <div>
                      <dt>{t('sessions.createdAt')}</dt>
                      <dd>{formatDateTime(s.createdAt, lang)}</dd>
                    </div>
                    <div>
                      <dt>{t('sessions.lastSeenAt')}</dt>
                      <dd>{formatDateTime(s.lastSeenAt, lang)}</dd>
                    </div>
                    <div>
                      <dt>{t('sessions.expiresAt')}</dt>
                      <dd>{formatDateTime(s.expiresAt, lang)}</dd>
                    </div>
                  </dl>
                  {s.userAgent ? <p className="session-ua">{s.userAgent}</p> : null}
                  {!s.current ? (
                    <button
                      type="button"
                      className="button button-danger button-small"
                      disabled={busy}
                      aria-label={t('sessions.revokeNamed', {
                        device,
                        at: formatDateTime(s.createdAt, lang),
                      })}
                      onClick={() =>
                        void act(async () => {
                          await sessions.revoke(s.id);
                          return t('sessions.revoked');
                        })
                      }
                    >
                      {t('sessions.revoke')}
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {others.length > 0 ? (
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() =>
                void act(async () => t('sessions.revokedOthers', { count: await sessions.revokeOthers() }))
              }
            >
              {t('sessions.revokeOthers')}
            </button>
          ) : (
            <p className="empty">{t('sessions.noOthers')}</p>
          )}
        </>
      ) : null}
    </section>
  );
}
