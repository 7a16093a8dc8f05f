import { type FormEvent, useState } from 'react';
import { navigate } from '../app/router.ts';
import { useI18n } from '../i18n/context.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

/** The install link's query (`offer=…`), from the whole link or just its query, or null. */
export function installQueryOf(link: string): string | null {
  try {
    const url = new URL(link.trim());
    return url.searchParams.has('offer') ? url.search : null;
  } catch {
    return null;
  }
}

/** No card on this device: how to install, and a field for the link when it does not open. */
export function WelcomeScreen() {
  const { t } = useI18n();
  const [link, setLink] = useState('');
  const [invalid, setInvalid] = useState(false);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const query = installQueryOf(link);
    if (!query) {
      setInvalid(true);
      return;
    }
    navigate(`/install${query}`);
  };
  return (
    <div className="stack">
      <ScreenHeading>{t('welcome.title')}</ScreenHeading>
      <p className="lead">{t('welcome.lead')}</p>
      <section className="panel" aria-labelledby="steps-title">
        <h2 id="steps-title">{t('welcome.stepsTitle')}</h2>
        <ol className="steps">
          <li>{t('welcome.step1')}</li>
          <li>{t('welcome.step2')}</li>
          <li>{t('welcome.step3')}</li>
          <li>{t('welcome.step4')}</li>
        </ol>
        <p className="note">{t('welcome.oneDevice')}</p>
      </section>
      <form onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="install-link">{t('welcome.linkLabel')}</label>
          <input
            id="install-link"
            type="url"
            inputMode="url"
            autoComplete="off"
            value={link}
            onChange={(e) => {
              setLink(e.target.value);
              setInvalid(false);
            }}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? 'install-link-hint install-link-error' : 'install-link-hint'}
          />
          <p className="hint" id="install-link-hint">
            {t('welcome.linkHint')}
          </p>
          {invalid ? (
            <p className="field-error" id="install-link-error" role="alert">
              {t('welcome.linkInvalid')}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button-secondary">
          {t('welcome.linkSubmit')}
        </button>
      </form>
    </div>
  );
}
