import { GongjikError } from '@gongjik/errors';
import { compareNames } from '@gongjik/kpki';
import { type FormEvent, useId, useState } from 'react';
import {
  type RegisteredCertificate,
  registerCertificate,
  type SignupVerification,
  verifySignup,
} from '../api/auth.ts';
import { api } from '../app/api.ts';
import { Link } from '../app/Link.tsx';
import { ROUTE_PATHS } from '../app/router.ts';
import { CertificateForm } from '../cert/CertificateForm.tsx';
import type { CertificateChoice } from '../cert/choices.ts';
import { proveCertificate } from '../cert/prove.ts';
import { useI18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/ko.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatDate } from '../ui/format.ts';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

type Step =
  | { readonly kind: 'identify' }
  | { readonly kind: 'register'; readonly verified: SignupVerification }
  | {
      readonly kind: 'done';
      readonly verified: SignupVerification;
      readonly registered: RegisteredCertificate;
      readonly choice: CertificateChoice;
    };

const STEPS: readonly { readonly kind: Step['kind']; readonly label: MessageKey }[] = [
  { kind: 'identify', label: 'signup.step1' },
  { kind: 'register', label: 'signup.step2' },
  { kind: 'done', label: 'signup.step3' },
];

/** The certificate's holder name must equal the account's real name exactly (checked again by the server). */
export function checkHolderName(choice: CertificateChoice, accountName: string): void {
  const certName = choice.description.holderName;
  if (certName === null) throw new GongjikError('ERR_PKI_NAME_UNREADABLE', { reason: 'no-name' });
  compareNames(certName, accountName);
}

export function SignupScreen() {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ kind: 'identify' });
  const current = STEPS.findIndex((s) => s.kind === step.kind);
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('signup.title')}</ScreenHeading>
      <ol className="steps" aria-label={t('signup.steps')}>
        {STEPS.map((s, i) => (
          <li
            key={s.kind}
            className={i === current ? 'is-current' : i < current ? 'is-done' : undefined}
            aria-current={i === current ? 'step' : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {i + 1}
            </span>
            {t(s.label)}
          </li>
        ))}
      </ol>
      {step.kind === 'identify' ? (
        <IdentifyStep onVerified={(verified) => setStep({ kind: 'register', verified })} />
      ) : null}
      {step.kind === 'register' ? (
        <RegisterStep
          verified={step.verified}
          onRegistered={(registered, choice) =>
            setStep({ kind: 'done', verified: step.verified, registered, choice })
          }
        />
      ) : null}
      {step.kind === 'done' ? (
        <DoneStep verified={step.verified} registered={step.registered} choice={step.choice} />
      ) : null}
      {step.kind !== 'done' ? (
        <p className="aside">
          {t('signup.loginPrompt')} <Link to={ROUTE_PATHS.login}>{t('nav.login')}</Link>
        </p>
      ) : null}
    </section>
  );
}

function IdentifyStep(props: { readonly onVerified: (v: SignupVerification) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [accountId, setAccountId] = useState('');
  const [otp, setOtp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      props.onVerified(await verifySignup(api, accountId.trim(), otp.replace(/\s+/g, '')));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <p className="lead">{t('signup.intro')}</p>
      <div className="field">
        <label htmlFor={`${id}-account`}>{t('signup.accountId')}</label>
        <p className="hint" id={`${id}-account-hint`}>
          {t('signup.accountIdHint')}
        </p>
        <input
          id={`${id}-account`}
          name="username"
          autoComplete="username"
          autoCapitalize="off"
          spellCheck={false}
          required
          maxLength={64}
          value={accountId}
          onChange={(e) => setAccountId(e.currentTarget.value)}
          aria-describedby={`${id}-account-hint`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-otp`}>{t('signup.otp')}</label>
        <p className="hint" id={`${id}-otp-hint`}>
          {t('signup.otpHint')}
        </p>
        <input
          id={`${id}-otp`}
          name="one-time-code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          required
          maxLength={32}
          value={otp}
          onChange={(e) => setOtp(e.currentTarget.value)}
          aria-describedby={`${id}-otp-hint`}
        />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t('signup.verifying') : t('signup.verify')}
      </button>
    </form>
  );
}

function RegisterStep(props: {
  readonly verified: SignupVerification;
  readonly onRegistered: (r: RegisteredCertificate, choice: CertificateChoice) => void;
}) {
  const { t } = useI18n();
  const { verified } = props;
  return (
    <div className="stack">
      <dl className="summary" aria-label={t('signup.account')}>
        <div>
          <dt>{t('signup.realName')}</dt>
          <dd className="summary-name">{verified.realName}</dd>
        </div>
        {verified.agency ? (
          <div>
            <dt>{t('signup.agency')}</dt>
            <dd>{verified.agency}</dd>
          </div>
        ) : null}
      </dl>
      <p className="note">{t('signup.nameRule', { name: verified.realName })}</p>
      <CertificateForm
        submitLabel={t('signup.register')}
        busyLabel={t('signup.registering')}
        allowRemember={false}
        check={(choice) => checkHolderName(choice, verified.realName)}
        onUnlocked={async (unlocked, choice) => {
          const proof = await proveCertificate(api, unlocked, 'register', window.location.origin);
          props.onRegistered(await registerCertificate(api, verified.signupToken, proof), choice);
        }}
      />
    </div>
  );
}

function DoneStep(props: {
  readonly verified: SignupVerification;
  readonly registered: RegisteredCertificate;
  readonly choice: CertificateChoice;
}) {
  const { lang, t } = useI18n();
  const d = props.choice.description;
  return (
    <div className="stack" role="status">
      <h2>{t('signup.doneTitle')}</h2>
      <p>
        {t('signup.doneBody', {
          name: props.verified.realName,
          issuer: d.issuer.cn ?? d.issuer.dn,
          notAfter: formatDate(d.notAfter, lang),
        })}
      </p>
      <Link to={ROUTE_PATHS.login} className="button button-primary">
        {t('signup.goLogin')}
      </Link>
    </div>
  );
}
