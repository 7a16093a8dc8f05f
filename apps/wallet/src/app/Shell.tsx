import type { ReactNode } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { LANGS } from '../i18n/format.ts';
import { useOnline } from '../ui/useOnline.ts';

/** Header (brand, language), offline banner, the main landmark. */
export function Shell(props: { readonly children: ReactNode }) {
  const { lang, setLang, t } = useI18n();
  const online = useOnline();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipLink')}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <span className="brand">
            <img src="/icon.svg" alt="" width="28" height="28" />
            <span>{t('app.name')}</span>
          </span>
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
      {online ? null : (
        <p className="offline-banner" role="status">
          {t('app.offlineBanner')}
        </p>
      )}
      <main id="main" tabIndex={-1} className="app-main">
        {props.children}
      </main>
      <footer className="app-footer">
        <p>
          {t('app.brand')} · {t('app.name')}
        </p>
      </footer>
    </>
  );
}
