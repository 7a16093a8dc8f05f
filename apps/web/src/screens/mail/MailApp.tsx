// The webmail (a lazily loaded chunk): every /mail… address. Checks the session, then shows the
// mail shell — retirement banner, folder tree, quota meter — around the view the address names.
import { lazy, Suspense, useEffect, useState } from 'react';
import { createJsonClient } from '../../api/request.ts';
import { sessionsApi } from '../../api/sessions.ts';
import { NAVIGATE_EVENT } from '../../app/router.ts';
import { getSession, setSession } from '../../app/session.ts';
import { useI18n } from '../../i18n/context.tsx';
import { loadLang } from '../../i18n/lang-store.ts';
import { LoadingScreen } from '../../ui/LoadingScreen.tsx';
import { RetirementBanner } from './export/RetirementBanner.tsx';
import { MailShell } from './MailShell.tsx';
import { isSessionRequired, toLogin } from './mail-session.ts';
import { parseMailPath } from './paths.ts';

const ComposeScreen = lazy(() => import('./compose/ComposeScreen.tsx'));
const ExportScreen = lazy(() => import('./export/ExportScreen.tsx'));

const sessions = sessionsApi(createJsonClient({ lang: () => loadLang(globalThis.localStorage) }));

/** pathname + search, re-rendered on in-page navigation and Back/Forward. */
const readLocation = () => ({ pathname: window.location.pathname, search: window.location.search });

export function useLocation(): { pathname: string; search: string } {
  const [loc, setLoc] = useState(readLocation);
  useEffect(() => {
    const update = () =>
      setLoc((prev) => {
        const next = readLocation();
        return next.pathname === prev.pathname && next.search === prev.search ? prev : next;
      });
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return loc;
}

export default function MailApp() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  // A tab with the cookie but without the login answer (a new tab, a reload after the tab's storage
  // was cleared) asks the server for it — in parallel with the mailbox's own first requests, which
  // need only the cookie; the CSRF token is needed for the first change, long after.
  useEffect(() => {
    if (getSession()) return;
    let live = true;
    sessions.current().then(
      (s) => live && setSession(s),
      (err) => live && isSessionRequired(err) && toLogin(),
    );
    return () => {
      live = false;
    };
  }, []);
  const view = parseMailPath(pathname, search);
  return (
    <div className="mail-app">
      <h1 className="visually-hidden">{t('mail.title')}</h1>
      <RetirementBanner />
      <MailShell view={view}>
        {view.kind === 'compose' || view.kind === 'export' ? (
          <Suspense fallback={<LoadingScreen />}>
            {view.kind === 'compose' ? <ComposeScreen /> : <ExportScreen />}
          </Suspense>
        ) : null}
      </MailShell>
    </div>
  );
}
