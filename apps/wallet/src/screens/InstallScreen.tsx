import { type FormEvent, useEffect, useState } from 'react';
import { navigate } from '../app/router.ts';
import type { IdentityPreview, InstallSession } from '../app/service.ts';
import { useServices } from '../app/service-context.tsx';
import { ClientError } from '../errors/client-error.ts';
import { useI18n } from '../i18n/context.tsx';
import { pinProblem, pinsMatch } from '../pin/rules.ts';
import { DigitsField } from '../ui/DigitsField.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

type Step = 'code' | 'identity' | 'pin' | 'receive' | 'biometrics' | 'rejected';
const STEPS: readonly Step[] = ['code', 'identity', 'pin', 'receive', 'biometrics'];

/**
 * First run: one-time code → identity → PIN (twice) → the card is issued and the PIN set →
 * biometrics (optional) → the card screen.
 */
export function InstallScreen(props: { readonly search: string; readonly onInstalled: () => void }) {
  const { t } = useI18n();
  const { wallet } = useServices();
  const [session, setSession] = useState<InstallSession | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [step, setStep] = useState<Step>('code');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [identity, setIdentity] = useState<IdentityPreview | null>(null);
  const [pin, setPin] = useState('');
  // The chosen PIN, kept in memory only until the biometric step is done or skipped: the issuer
  // checks it again before it binds a biometric credential to the card.
  const [enrolPin, setEnrolPin] = useState('');

  useEffect(() => {
    let live = true;
    wallet.beginInstall(`${window.location.origin}/install${props.search}`).then(
      (s) => live && setSession(s),
      (err) => live && setLoadError(err),
    );
    return () => {
      live = false;
    };
  }, [wallet, props.search]);

  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  if (!session) {
    return (
      <div className="stack">
        <ScreenHeading>{t('install.title')}</ScreenHeading>
        {loadError ? <ErrorMessage error={loadError} /> : <p role="status">{t('app.loading')}</p>}
      </div>
    );
  }

  const receive = async (chosen: string) => {
    setBusy(true);
    setError(null);
    try {
      await session.complete(chosen);
      setPin('');
      setEnrolPin(chosen);
      go('biometrics');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const index = STEPS.indexOf(step);
  return (
    <div className="stack">
      {index >= 0 ? (
        <p className="progress">{t('install.progress', { step: index + 1, total: STEPS.length })}</p>
      ) : null}
      {step === 'code' ? (
        <CodeStep
          session={session}
          busy={busy}
          error={error}
          onSubmit={async (code) => {
            setBusy(true);
            setError(null);
            try {
              setIdentity(await session.redeem(code));
              go('identity');
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        />
      ) : null}
      {step === 'identity' && identity ? (
        <IdentityStep
          identity={identity}
          onConfirm={() => go('pin')}
          onReject={() => {
            session.reject();
            go('rejected');
          }}
        />
      ) : null}
      {step === 'rejected' ? (
        <>
          <ScreenHeading>{t('install.identity.title')}</ScreenHeading>
          <div className="alert alert-warning" role="alert">
            <p>{t('install.identity.rejected')}</p>
          </div>
        </>
      ) : null}
      {step === 'pin' ? (
        <PinStep
          title={t('install.pin.title')}
          lead={t('install.pin.lead')}
          onSubmit={(chosen) => {
            setPin(chosen);
            go('receive');
            receive(chosen);
          }}
        />
      ) : null}
      {step === 'receive' ? (
        <>
          <ScreenHeading>{t('install.receive.busy')}</ScreenHeading>
          <p role="status">{busy ? t('install.receive.busy') : ''}</p>
          <ErrorMessage error={error} />
          {error && !busy ? (
            <button type="button" className="button button-primary" onClick={() => receive(pin)}>
              {t('install.receive.retry')}
            </button>
          ) : null}
        </>
      ) : null}
      {step === 'biometrics' ? (
        <BiometricsStep
          pin={enrolPin}
          onDone={() => {
            setEnrolPin('');
            props.onInstalled();
            navigate('/', { replace: true });
          }}
        />
      ) : null}
    </div>
  );
}

/** A card whose PIN was never set (the installation stopped after issuance): choose it now. */
export function PinPendingScreen(props: { readonly onDone: () => void }) {
  const { t } = useI18n();
  const { wallet } = useServices();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="stack">
      <PinStep
        title={t('install.pinPending.title')}
        lead={t('install.pinPending.lead')}
        busy={busy}
        onSubmit={async (chosen) => {
          setBusy(true);
          setError(null);
          try {
            await wallet.finishPin(chosen);
            props.onDone();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      />
      <ErrorMessage error={error} />
    </div>
  );
}

function CodeStep(props: {
  readonly session: InstallSession;
  readonly busy: boolean;
  readonly error: unknown;
  readonly onSubmit: (code: string) => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [formatError, setFormatError] = useState(false);
  const length = props.session.txCodeLength;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (code.length !== length) {
      setFormatError(true);
      return;
    }
    setFormatError(false);
    props.onSubmit(code);
  };
  return (
    <>
      <ScreenHeading>{t('install.code.title')}</ScreenHeading>
      <p className="lead">{t('install.code.lead')}</p>
      <p className="hint">{t('install.issuer', { host: props.session.issuerHost })}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={props.busy}>
        <DigitsField
          id="tx-code"
          label={t('install.code.label', { length })}
          value={code}
          length={length}
          onChange={setCode}
          autoComplete="one-time-code"
          error={formatError ? t('install.code.format', { length }) : null}
          autoFocus
        />
        <ErrorMessage error={props.error} />
        <button type="submit" className="button button-primary" disabled={props.busy}>
          {props.busy ? t('install.code.busy') : t('install.code.submit')}
        </button>
      </form>
    </>
  );
}

function IdentityStep(props: {
  readonly identity: IdentityPreview;
  readonly onConfirm: () => void;
  readonly onReject: () => void;
}) {
  const { t } = useI18n();
  const { identity } = props;
  return (
    <>
      <ScreenHeading>{t('install.identity.title')}</ScreenHeading>
      <p className="lead">{t('install.identity.lead')}</p>
      <div className="panel">
        <dl className="facts" data-testid="identity">
          <dt>{t('card.name')}</dt>
          <dd>{identity.name}</dd>
          <dt>{t('card.agency')}</dt>
          <dd>{identity.agency}</dd>
          <dt>{t('card.employeeNumber')}</dt>
          <dd>{identity.employeeNumber}</dd>
          {identity.department ? (
            <>
              <dt>{t('card.department')}</dt>
              <dd>{identity.department}</dd>
            </>
          ) : null}
          {identity.position ? (
            <>
              <dt>{t('card.position')}</dt>
              <dd>{identity.position}</dd>
            </>
          ) : null}
        </dl>
      </div>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={props.onConfirm}>
          {t('install.identity.confirm')}
        </button>
        <button type="button" className="button button-secondary" onClick={props.onReject}>
          {t('install.identity.reject')}
        </button>
      </div>
    </>
  );
}

function PinStep(props: {
  readonly title: string;
  readonly lead: string;
  readonly busy?: boolean;
  readonly onSubmit: (pin: string) => void;
}) {
  const { t } = useI18n();
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [firstError, setFirstError] = useState<ClientError | null>(null);
  const [secondError, setSecondError] = useState<ClientError | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const problem = pinProblem(first);
    if (problem) {
      setFirstError(new ClientError(`pin.weak.${problem}`));
      setSecondError(null);
      setFirst('');
      setSecond('');
      return;
    }
    setFirstError(null);
    if (!pinsMatch(first, second)) {
      setSecondError(new ClientError('install.pin.mismatch'));
      setSecond('');
      return;
    }
    props.onSubmit(first);
  };
  return (
    <>
      <ScreenHeading>{props.title}</ScreenHeading>
      <p className="lead">{props.lead}</p>
      <form onSubmit={onSubmit} noValidate>
        <DigitsField
          id="pin-first"
          label={t('install.pin.first')}
          value={first}
          length={6}
          onChange={setFirst}
          secret
          autoComplete="new-password"
          hint={t('install.pin.rules')}
          error={firstError ? t(firstError.key) : null}
          autoFocus
        />
        <DigitsField
          id="pin-second"
          label={t('install.pin.second')}
          value={second}
          length={6}
          onChange={setSecond}
          secret
          autoComplete="new-password"
          error={secondError ? t(secondError.key) : null}
        />
        {firstError || secondError ? (
          <p className="visually-hidden" role="alert">
            {t((firstError ?? secondError)!.key)}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={props.busy}>
          {t('install.pin.submit')}
        </button>
      </form>
    </>
  );
}

function BiometricsStep(props: { readonly pin: string; readonly onDone: () => void }) {
  const { t } = useI18n();
  const { wallet } = useServices();
  const [available, setAvailable] = useState<boolean | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    wallet.biometricsAvailable().then(
      (a) => live && setAvailable(a),
      () => live && setAvailable(false),
    );
    return () => {
      live = false;
    };
  }, [wallet]);
  const enrol = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await wallet.enrolBiometrics(props.pin);
      props.onDone();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div className="alert alert-ok" role="status">
        <p>{t('install.done')}</p>
      </div>
      <ScreenHeading>{t('install.bio.title')}</ScreenHeading>
      <p className="lead">{t('install.bio.lead')}</p>
      {available === false ? <p className="note">{t('install.bio.unavailable')}</p> : null}
      {failed ? (
        <div className="alert alert-error" role="alert">
          <p>{t('install.bio.failed')}</p>
        </div>
      ) : null}
      <div className="button-row">
        {available ? (
          <button type="button" className="button button-primary" onClick={enrol} disabled={busy}>
            {t('install.bio.enrol')}
          </button>
        ) : null}
        <button
          type="button"
          className={available ? 'button button-secondary' : 'button button-primary'}
          onClick={() => props.onDone()}
          disabled={busy || available === null}
        >
          {t('install.bio.skip')}
        </button>
      </div>
    </>
  );
}
