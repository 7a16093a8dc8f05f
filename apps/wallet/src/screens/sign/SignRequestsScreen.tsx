// /sign — the work systems' signature requests waiting for this card (DESIGN flow 10): the holder
// sees the document title, the requesting system, the document hash and the times, confirms with
// the PIN (checked by the issuer), and the device key signs. Declining tells the work system so.
import { useCallback, useEffect, useState } from 'react';
import { navigate } from '../../app/router.ts';
import type { PinOutcome, SignatureRequestView, WalletSnapshot } from '../../app/service.ts';
import { useServices } from '../../app/service-context.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { formatWhen } from '../../ui/format.ts';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { useOnline } from '../../ui/useOnline.ts';
import { PinForm } from '../PinForm.tsx';

/** 64 hex digits in groups of 8, so the holder can compare them with the work system's screen. */
export function groupedHash(hex: string): string {
  return hex.match(/.{1,8}/g)?.join(' ') ?? hex;
}

type Load =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly list: SignatureRequestView[] }
  | { readonly kind: 'error'; readonly error: unknown };

export function SignRequestsScreen(props: {
  readonly snapshot: WalletSnapshot;
  readonly onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { wallet } = useServices();
  const online = useOnline();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [chosen, setChosen] = useState<SignatureRequestView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(async () => {
    setLoad({ kind: 'loading' });
    try {
      setLoad({ kind: 'ready', list: await wallet.signatureRequests() });
    } catch (err) {
      setLoad({ kind: 'error', error: err });
    }
  }, [wallet]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const onSigned = (outcome: PinOutcome) => {
    const request = chosen;
    setChosen(null);
    if (outcome.ok && request)
      setNotice(t('sign.done', { title: request.title, system: request.requester.name }));
    if (!outcome.ok && outcome.locked) setNotice(t('lock.lockedOut'));
    props.onChanged();
    void reload();
  };

  const decline = async (request: SignatureRequestView) => {
    setError(null);
    setNotice(null);
    try {
      await wallet.declineRequest(request.id);
      setNotice(t('sign.declined', { title: request.title }));
    } catch (err) {
      setError(err);
    }
    void reload();
  };

  if (chosen) {
    return (
      <div className="stack">
        <ScreenHeading>{t('sign.confirmTitle')}</ScreenHeading>
        <RequestFacts request={chosen} />
        <PinForm
          id="sign-pin"
          title={t('sign.pinTitle')}
          lead={t('sign.pinLead', { system: chosen.requester.name })}
          submitLabel={t('sign.submit')}
          biometrics={props.snapshot.biometrics}
          online={online}
          submit={(pin) => wallet.signRequest(chosen, pin)}
          onDone={onSigned}
          onCancel={() => setChosen(null)}
        />
      </div>
    );
  }

  return (
    <div className="stack">
      <ScreenHeading>{t('sign.title')}</ScreenHeading>
      <p className="lead">{t('sign.lead')}</p>
      {notice ? (
        <div className="alert alert-ok" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {load.kind === 'loading' ? <p role="status">{t('app.loading')}</p> : null}
      {load.kind === 'error' ? <ErrorMessage error={load.error} /> : null}
      {load.kind === 'ready' && load.list.length === 0 ? <p className="note">{t('sign.none')}</p> : null}
      {load.kind === 'ready'
        ? load.list.map((r) => (
            <section key={r.id} className="panel sign-request" aria-labelledby={`req-${r.id}`}>
              <h2 id={`req-${r.id}`}>{r.title}</h2>
              <RequestFacts request={r} />
              <div className="button-row">
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => {
                    setNotice(null);
                    setChosen(r);
                  }}
                >
                  {t('sign.sign')}
                </button>
                <button type="button" className="button button-secondary" onClick={() => void decline(r)}>
                  {t('sign.decline')}
                </button>
              </div>
            </section>
          ))
        : null}
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={() => void reload()}>
          {t('sign.refresh')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => navigate('/')}>
          {t('sign.back')}
        </button>
      </div>
      <p className="hint">{t('sign.when', { now: formatWhen(Date.now(), lang) })}</p>
    </div>
  );
}

function RequestFacts(props: { readonly request: SignatureRequestView }) {
  const { t, lang } = useI18n();
  const r = props.request;
  return (
    <dl className="facts">
      <dt>{t('sign.document')}</dt>
      <dd>{r.title}</dd>
      <dt>{t('sign.requester')}</dt>
      <dd>{r.requester.name}</dd>
      {r.reason ? (
        <>
          <dt>{t('sign.reason')}</dt>
          <dd>{r.reason}</dd>
        </>
      ) : null}
      <dt>{t('sign.requestedAt')}</dt>
      <dd>{formatWhen(Date.parse(r.createdAt), lang)}</dd>
      <dt>{t('sign.expiresAt')}</dt>
      <dd>{formatWhen(Date.parse(r.expiresAt), lang)}</dd>
      <dt>{t('sign.hash')}</dt>
      <dd className="hash">{groupedHash(r.sha256)}</dd>
    </dl>
  );
}
