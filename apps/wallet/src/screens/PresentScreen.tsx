// Presenting the card to a verifier (OpenID4VP): sign-in with the mobile ID, the library card.
// Opened by the deep link / QR (`/present?client_id=…`) or by pasting the request. Shows who asks
// (name and the host that receives the answer), the matching code the asking screen shows too, and
// exactly which claims will leave the phone; nothing is sent before consent and the PIN.
import { type FormEvent, useEffect, useState } from 'react';
import { navigate } from '../app/router.ts';
import type { PresentationView, WalletSnapshot } from '../app/service.ts';
import { useServices } from '../app/service-context.tsx';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/ko.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';
import { useOnline } from '../ui/useOnline.ts';
import { PinForm } from './PinForm.tsx';

type Step =
  | { readonly kind: 'paste' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'review'; readonly view: PresentationView }
  | { readonly kind: 'pin'; readonly view: PresentationView }
  | { readonly kind: 'sent' }
  | { readonly kind: 'declined' }
  | { readonly kind: 'failed'; readonly error: unknown };

function claimLabel(name: string): MessageKey | null {
  const key = `claim.${name}`;
  return /^claim\.(name|agency|employee_number|department|position|photo_digest)$/.test(key)
    ? (key as MessageKey)
    : null;
}

export function PresentScreen(props: {
  readonly search: string;
  readonly snapshot: WalletSnapshot;
  readonly onChanged: () => void;
}) {
  const { t } = useI18n();
  const { wallet } = useServices();
  const online = useOnline();
  const [link, setLink] = useState<string | null>(() =>
    new URLSearchParams(props.search).has('client_id')
      ? `${window.location.origin}/present${props.search}`
      : null,
  );
  const [pasted, setPasted] = useState('');
  const [step, setStep] = useState<Step>(link ? { kind: 'loading' } : { kind: 'paste' });

  useEffect(() => {
    if (!link) return;
    let live = true;
    setStep({ kind: 'loading' });
    wallet.previewPresentation(link).then(
      (view) => live && setStep({ kind: 'review', view }),
      (error) => live && setStep({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [link, wallet]);

  const label = (name: string) => {
    const key = claimLabel(name);
    return key ? t(key) : name;
  };

  const onPaste = (e: FormEvent) => {
    e.preventDefault();
    const text = pasted.trim();
    if (text) setLink(text);
  };

  const home = (
    <button type="button" className="button button-secondary" onClick={() => navigate('/')}>
      {t('present.back')}
    </button>
  );

  return (
    <div className="stack">
      <ScreenHeading>{t('present.title')}</ScreenHeading>
      {step.kind === 'paste' ? (
        <form className="panel" onSubmit={onPaste}>
          <p>{t('present.pasteLead')}</p>
          <div className="field">
            <label htmlFor="present-link">{t('present.pasteLabel')}</label>
            <textarea
              id="present-link"
              rows={4}
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              spellCheck={false}
            />
          </div>
          <button type="submit" className="button button-primary">
            {t('present.pasteSubmit')}
          </button>
        </form>
      ) : null}
      {step.kind === 'loading' ? <p role="status">{t('present.loading')}</p> : null}
      {step.kind === 'review' || step.kind === 'pin' ? (
        <>
          <section className="panel present-requester" aria-labelledby="present-requester">
            <p className="present-label" id="present-requester">
              {t('present.requester')}
            </p>
            <p className="present-name" data-testid="verifier-name">
              {step.view.verifierName ?? step.view.verifierHost}
            </p>
            <p className="hint">{t('present.requesterHost', { host: step.view.verifierHost })}</p>
            <p className="present-label" id="present-code-label">
              {t('present.codeLabel')}
            </p>
            <p className="present-code" data-match-code={step.view.matchCode}>
              {step.view.matchCode}
            </p>
            <p className="note">{t('present.codeHint')}</p>
          </section>
          <section className="panel" aria-labelledby="present-disclosed">
            <h2 id="present-disclosed">{t('present.disclosed')}</h2>
            <dl className="facts" data-testid="disclosed">
              {step.view.disclosed.map((c) => (
                <div key={c.name} className="present-claim" data-claim={c.name}>
                  <dt>{label(c.name)}</dt>
                  <dd>{c.value}</dd>
                </div>
              ))}
            </dl>
            {step.view.kept.length > 0 ? (
              <p className="hint" data-testid="kept">
                {t('present.kept', { claims: step.view.kept.map(label).join(', ') })}
              </p>
            ) : null}
          </section>
          {step.kind === 'review' ? (
            <div className="button-row">
              <button
                type="button"
                className="button button-primary"
                onClick={() => setStep({ kind: 'pin', view: step.view })}
              >
                {t('present.consent')}
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setStep({ kind: 'declined' })}
              >
                {t('present.decline')}
              </button>
            </div>
          ) : (
            <PinForm
              id="present"
              title={t('present.pinTitle')}
              lead={t('present.pinLead')}
              submitLabel={t('present.pinSubmit')}
              biometrics={props.snapshot.biometrics}
              online={online}
              submit={(pin) => wallet.present(link!, pin)}
              onDone={(outcome) => {
                props.onChanged();
                setStep(
                  outcome.ok ? { kind: 'sent' } : { kind: 'failed', error: new Error(t('lock.lockedOut')) },
                );
              }}
              onCancel={() => setStep({ kind: 'review', view: step.view })}
            />
          )}
        </>
      ) : null}
      {step.kind === 'sent' ? (
        <>
          <div className="alert alert-ok" role="status">
            <p>{t('present.sent')}</p>
          </div>
          {home}
        </>
      ) : null}
      {step.kind === 'declined' ? (
        <>
          <div className="alert alert-warning" role="status">
            <p>{t('present.declined')}</p>
          </div>
          {home}
        </>
      ) : null}
      {step.kind === 'failed' ? (
        <>
          <ErrorMessage error={step.error} />
          {home}
        </>
      ) : null}
    </div>
  );
}
