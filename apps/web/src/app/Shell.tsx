import type { ReactNode } from 'react';
import { logout } from '../api/auth.ts';
import { useI18n } from '../i18n/context.tsx';
import { LANGS } from '../i18n/format.ts';
import { api } from './api.ts';
import { Link } from './Link.tsx';
import { navigate, ROUTE_PATHS, type Route } from './router.ts';
import { setSession, useSession } from './session.ts';

function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" />
      <path d="M8 10h16v12H8z M8 10l8 7 8-7" />
    </svg>
  );
}

/** Header (brand, menu, language), main landmark with a skip link target, footer. */
export function Shell(props: { readonly route: Route; readonly children: ReactNode }) {
  const { lang, setLang, t } = useI18n();
  const session = useSession();
  const navItems: { route: Route; label: string; to: string }[] = session
    ? [
        { route: 'mail', label: t('mail.nav'), to: ROUTE_PATHS.mail },
        { route: 'renew', label: t('nav.renew'), to: ROUTE_PATHS.renew },
        { route: 'sessions', label: t('nav.sessions'), to: ROUTE_PATHS.sessions },
        { route: 'sign', label: t('nav.sign'), to: ROUTE_PATHS.sign },
        { route: 'verify', label: t('nav.verify'), to: ROUTE_PATHS.verify },
        { route: 'card', label: t('mid.nav.card'), to: ROUTE_PATHS.card },
        { route: 'approvals', label: t('mid.nav.approvals'), to: ROUTE_PATHS.approvals },
      ]
    : [
        { route: 'login', label: t('nav.login'), to: ROUTE_PATHS.login },
        { route: 'signup', label: t('nav.signup'), to: ROUTE_PATHS.signup },
        { route: 'verify', label: t('nav.verify'), to: ROUTE_PATHS.verify },
      ];
  const onLogout = async () => {
    try {
      await logout(api);
    } catch {
      // The page forgets the session either way; the server's idle timeout ends it otherwise.
    }
    setSession(null);
    navigate(ROUTE_PATHS.login);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to={session ? ROUTE_PATHS.home : ROUTE_PATHS.login} className="brand">
            <Logo />
            <span className="brand-text">
              <span className="brand-name">{t('app.name')}</span>
              <span className="brand-tagline">{t('app.tagline')}</span>
            </span>
          </Link>
          <nav aria-label={t('nav.label')} className="site-nav">
            <ul>
              {navItems.map((item) => (
                <li key={item.route}>
                  <Link to={item.to} className={item.route === props.route ? 'is-current' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
              {session ? (
                <li>
                  <button type="button" className="button-link" onClick={onLogout}>
                    {t('nav.logout')}
                  </button>
                </li>
              ) : null}
            </ul>
          </nav>
          <fieldset className="lang-switch">
            <legend className="visually-hidden">{t('lang.label')}</legend>
            {LANGS.map((l) => (
              <button
                key={l}
                type="button"
                lang={l}
                aria-pressed={lang === l}
                onClick={() => setLang(l)}
                className="lang-button"
              >
                {t(`lang.${l}`)}
              </button>
            ))}
          </fieldset>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="site-main">
        {props.children}
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </>
  );
}
