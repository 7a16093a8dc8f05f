import { type FormEvent, useState } from 'react';
import type { PinOutcome } from '../app/service.ts';
import { useI18n } from '../i18n/context.tsx';
import { DigitsField } from '../ui/DigitsField.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';

/**
 * Asks for the PIN and sends it (as the server's verifier) through `submit`. Shows the tries left
 * after a wrong PIN and the lock-out after the last one.
 */
export function PinForm(props: {
  readonly id: string;
  readonly title: string;
  readonly lead: string;
  readonly submitLabel: string;
  readonly danger?: boolean;
  readonly biometrics: boolean;
  readonly online: boolean;
  readonly submit: (pin: string) => Promise<PinOutcome>;
  /** Unlock with the enrolled biometrics instead (verified by the issuer). */
  readonly onBiometric?: () => Promise<PinOutcome>;
  readonly onDone: (outcome: PinOutcome) => void;
  readonly onCancel: () => void;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const [formatError, setFormatError] = useState(false);

  const settle = async (work: () => Promise<PinOutcome>) => {
    setBusy(true);
    setError(null);
    try {
      const outcome = await work();
      setPin('');
      if (!outcome.ok && !outcome.locked) {
        setRemaining(outcome.remaining ?? -1);
        return;
      }
      props.onDone(outcome);
    } catch (err) {
      setPin('');
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (pin.length !== 6) {
      setFormatError(true);
      return;
    }
    setFormatError(false);
    await settle(() => props.submit(pin));
  };

  const titleId = `${props.id}-title`;
  return (
    <section className="panel dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{props.title}</h2>
      <p>{props.lead}</p>
      {props.online ? null : <p className="note">{t('lock.offline')}</p>}
      {props.biometrics && props.onBiometric ? (
        <>
          <p className="hint">{t('lock.bioRequired')}</p>
          <div className="button-row bio-row">
            <button
              type="button"
              className="button button-primary"
              disabled={busy || !props.online}
              onClick={() => settle(props.onBiometric!)}
            >
              {t('lock.bioSubmit')}
            </button>
          </div>
        </>
      ) : null}
      <form onSubmit={onSubmit} noValidate aria-busy={busy}>
        <DigitsField
          id={`${props.id}-pin`}
          label={t('lock.pinLabel')}
          value={pin}
          length={6}
          onChange={setPin}
          secret
          autoComplete="current-password"
          error={formatError ? t('pin.weak.length') : null}
          autoFocus
        />
        {remaining !== null ? (
          <div className="alert alert-error" role="alert" data-code="ERR_MID_PIN_WRONG">
            <p className="alert-title">{t('form.errorTitle')}</p>
            <p>
              {remaining >= 0
                ? `${t('lock.remaining', { remaining })}`
                : t('error.unknownCode', { code: 'ERR_MID_PIN_WRONG' })}
            </p>
          </div>
        ) : null}
        <ErrorMessage error={error} />
        <div className="button-row">
          <button
            type="submit"
            className={props.danger ? 'button button-danger' : 'button button-primary'}
            disabled={busy || !props.online}
          >
            {busy ? t('lock.busy') : props.submitLabel}
          </button>
          <button type="button" className="button button-secondary" onClick={props.onCancel}>
            {t('lock.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
