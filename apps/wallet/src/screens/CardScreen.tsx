import { useCallback, useEffect, useState } from 'react';
import { navigate } from '../app/router.ts';
import type { WalletSnapshot } from '../app/service.ts';
import { useServices } from '../app/service-context.tsx';
import { isNetworkFailure } from '../errors/describe.ts';
import { useI18n } from '../i18n/context.tsx';
import type { KnownStatus } from '../status/status.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatWhen } from '../ui/format.ts';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';
import { useOnline } from '../ui/useOnline.ts';
import { GateView } from './GateView.tsx';
import { IdCard } from './IdCard.tsx';
import { PinForm } from './PinForm.tsx';
import { StatusIndicator } from './StatusIndicator.tsx';

function LockIcon(props: { readonly open: boolean }) {
  return (
    <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" className="lock-icon">
      <rect x="3.5" y="9" width="13" height="9" rx="2" />
      <path d={props.open ? 'M6.5 9V6a3.5 3.5 0 0 1 6.8-1.2' : 'M6.5 9V6a3.5 3.5 0 0 1 7 0v3'} />
    </svg>
  );
}

/** How often the card screen re-reads the status list while it is shown. */
export const STATUS_REFRESH_MS = 60_000;

type Panel = 'none' | 'unlock' | 'gate' | 'lost' | 'reactivate' | 'reset';

/** The card, its live status, the lock state and what the holder can do. */
export function CardScreen(props: { readonly snapshot: WalletSnapshot; readonly onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { wallet, config } = useServices();
  const online = useOnline();
  const { snapshot, onChanged } = props;
  const card = snapshot.card!;
  const [status, setStatus] = useState<KnownStatus | null>(snapshot.status);
  const [checking, setChecking] = useState(false);
  const [statusError, setStatusError] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [lockedOut, setLockedOut] = useState(false);
  const [panel, setPanel] = useState<Panel>('none');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(() => Date.now());

  // What the wallet stored meanwhile (e.g. INVALID after the fifth wrong PIN).
  useEffect(() => {
    if (snapshot.status) setStatus(snapshot.status);
  }, [snapshot.status]);

  const refresh = useCallback(async () => {
    setChecking(true);
    try {
      setStatus(await wallet.refreshStatus());
      setStatusError(false);
      setUnreachable(false);
    } catch (err) {
      // No answer at all (offline, server down): say "offline, last checked at …", not "failed".
      if (isNetworkFailure(err)) setUnreachable(true);
      else setStatusError(true);
    } finally {
      setChecking(false);
    }
  }, [wallet]);

  // Status: on open, when the app comes back to the foreground or online, and every minute.
  useEffect(() => {
    refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    window.addEventListener('online', onVisible);
    const timer = setInterval(() => {
      setNow(Date.now());
      if (document.visibilityState === 'visible') refresh();
    }, STATUS_REFRESH_MS);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      window.removeEventListener('online', onVisible);
      clearInterval(timer);
    };
  }, [refresh]);

  const state = status?.state ?? 'unknown';
  const usable = state === 'valid' || state === 'unknown';
  const unlocked = snapshot.unlock !== null && snapshot.unlock.until > now;
  /** The fifth wrong PIN: the card is INVALID now; say why, where the status is explained. */
  const lockOut = () => {
    setLockedOut(true);
    setStatus({ state: 'invalid', checkedAt: Date.now() });
    done('');
  };
  const done = (message: string) => {
    setPanel('none');
    setNotice(message);
    onChanged();
  };

  if (panel === 'gate' && unlocked && state !== 'suspended' && state !== 'invalid') {
    const groups =
      config.gateGroups.length > 0 ? config.gateGroups : [{ id: 'default', name: t('gate.title') }];
    return <GateView groups={groups} onBack={() => setPanel('none')} />;
  }

  return (
    <div className="stack">
      <ScreenHeading>{t('card.title')}</ScreenHeading>
      <IdCard card={card} state={state} />
      <div>
        <StatusIndicator
          status={status}
          checking={checking}
          online={online && !unreachable}
          onRefresh={refresh}
        />
        {statusError ? <p className="hint">{t('status.failed')}</p> : null}
        {state === 'suspended' ? <p className="note">{t('status.help.suspended')}</p> : null}
        {state === 'invalid' ? (
          <div className="alert alert-error" role="alert">
            <p>{lockedOut ? t('lock.lockedOut') : t('status.help.invalid')}</p>
          </div>
        ) : null}
        {usable ? (
          <p className="lock-line" data-unlocked={unlocked ? 'true' : undefined} data-testid="lock-state">
            <LockIcon open={unlocked} />
            {unlocked
              ? t('lock.unlockedUntil', { time: formatWhen(snapshot.unlock!.until, lang) })
              : t('lock.locked')}
          </p>
        ) : null}
        <p className="hint">{t('card.installedAt', { date: formatWhen(card.installedAt, lang) })}</p>
      </div>
      {notice ? (
        <div className="alert alert-ok" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ErrorMessage error={error} />

      {panel === 'unlock' ? (
        <PinForm
          id="unlock"
          title={t('lock.title')}
          lead={t('lock.lead')}
          submitLabel={t('lock.submit')}
          biometrics={snapshot.biometrics}
          online={online}
          submit={(pin) => wallet.unlock(pin)}
          onBiometric={() => wallet.unlockWithBiometrics()}
          onDone={(outcome) => (outcome.ok ? done('') : lockOut())}
          onCancel={() => setPanel('none')}
        />
      ) : null}
      {panel === 'lost' ? (
        <PinForm
          id="lost"
          title={t('lost.title')}
          lead={t('lost.lead')}
          submitLabel={t('lost.confirm')}
          danger
          biometrics={false}
          online={online}
          submit={(pin) => wallet.reportLost(pin)}
          onDone={(outcome) => (outcome.ok ? done(t('lost.done')) : lockOut())}
          onCancel={() => setPanel('none')}
        />
      ) : null}
      {panel === 'reactivate' ? (
        <PinForm
          id="reactivate"
          title={t('reactivate.title')}
          lead={t('reactivate.lead')}
          submitLabel={t('reactivate.confirm')}
          biometrics={false}
          online={online}
          submit={(pin) => wallet.reactivate(pin)}
          onDone={(outcome) => (outcome.ok ? done(t('reactivate.done')) : lockOut())}
          onCancel={() => setPanel('none')}
        />
      ) : null}
      {panel === 'reset' ? (
        <section className="panel dialog" aria-labelledby="reset-title">
          <h2 id="reset-title">{t('reset.title')}</h2>
          <p>{t('reset.lead')}</p>
          <div className="button-row">
            <button
              type="button"
              className="button button-danger"
              onClick={async () => {
                try {
                  await wallet.reset();
                  onChanged();
                } catch (err) {
                  setError(err);
                }
              }}
            >
              {t('reset.confirm')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setPanel('none')}>
              {t('reset.cancel')}
            </button>
          </div>
        </section>
      ) : null}

      {panel === 'none' ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title" className="visually-hidden">
            {t('actions.title')}
          </h2>
          <div className="button-row">
            {state !== 'invalid' && state !== 'suspended' ? (
              unlocked ? (
                <>
                  <button type="button" className="button button-primary" onClick={() => setPanel('gate')}>
                    {t('actions.gate')}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={async () => {
                      await wallet.lock();
                      onChanged();
                    }}
                  >
                    {t('lock.lockNow')}
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => {
                    setNotice(null);
                    setPanel('unlock');
                  }}
                >
                  {t('actions.unlock')}
                </button>
              )
            ) : null}
            {state !== 'invalid' && state !== 'suspended' ? (
              <button type="button" className="button button-secondary" onClick={() => navigate('/sign')}>
                {t('actions.sign')}
              </button>
            ) : null}
            {usable && wallet.canReportLost() ? (
              <button
                type="button"
                className="button button-danger"
                onClick={() => {
                  setNotice(null);
                  setPanel('lost');
                }}
              >
                {t('actions.reportLost')}
              </button>
            ) : null}
            {state === 'suspended' && wallet.canReactivate() ? (
              <button type="button" className="button button-primary" onClick={() => setPanel('reactivate')}>
                {t('actions.reactivate')}
              </button>
            ) : null}
            {state === 'suspended' && !wallet.canReactivate() ? (
              <p className="note">{t('reactivate.webOnly')}</p>
            ) : null}
            {config.webApp ? (
              <a className="button button-secondary" href={config.webApp} rel="noopener">
                {t('actions.webApp')}
              </a>
            ) : null}
            <button type="button" className="button button-secondary" onClick={() => setPanel('reset')}>
              {t('actions.reset')}
            </button>
          </div>
          <p className="hint">{t('lost.elsewhere')}</p>
        </section>
      ) : null}
    </div>
  );
}
