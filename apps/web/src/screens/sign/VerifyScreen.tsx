// /verify — public: drop a signature file and the document; see who signed, when, and whether the
// card or certificate was valid then, or the refusal with its code.
import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { Link } from '../../app/Link.tsx';
import { ROUTE_PATHS } from '../../app/router.ts';
import { ClientError } from '../../errors/client-error.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { serverTrust, type VerifyOutcome, verifyFiles } from './verify-files.ts';

const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();

async function bytesOf(file: File): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await file.arrayBuffer());
}

export function VerifyScreen() {
  const { lang, t } = useI18n();
  const id = useId();
  const trust = useMemo(serverTrust, []);
  const [signature, setSignature] = useState<File | null>(null);
  const [document, setDocument] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<VerifyOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const resultRef = useRef<HTMLDivElement | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setOutcome(null);
    setError(null);
    if (!signature || !document) {
      setError(new ClientError('verify.required'));
      return;
    }
    setBusy(true);
    try {
      setOutcome(await verifyFiles(await bytesOf(signature), await bytesOf(document), trust));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      requestAnimationFrame(() => resultRef.current?.focus());
    }
  };

  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('verify.title')}</ScreenHeading>
      <p className="lead">{t('verify.intro')}</p>
      <p className="note">{t('verify.privacy')}</p>
      <form className="sign-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <div className="field drop-field">
          <label htmlFor={`${id}-sig`}>{t('verify.signatureFile')}</label>
          <p className="hint" id={`${id}-sig-hint`}>
            {t('verify.signatureHint')}
          </p>
          <input
            id={`${id}-sig`}
            type="file"
            accept=".json,.gjsig,.p7s,.p7m,.pem,application/json,application/pkcs7-signature"
            aria-describedby={`${id}-sig-hint`}
            data-testid="signature-input"
            onChange={(e) => setSignature(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
        <div className="field drop-field">
          <label htmlFor={`${id}-doc`}>{t('verify.documentFile')}</label>
          <p className="hint" id={`${id}-doc-hint`}>
            {t('verify.documentHint')}
          </p>
          <input
            id={`${id}-doc`}
            type="file"
            aria-describedby={`${id}-doc-hint`}
            data-testid="document-input"
            onChange={(e) => setDocument(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('verify.busy') : t('verify.submit')}
          </button>
        </div>
      </form>

      <div ref={resultRef} tabIndex={-1} className="verify-result" data-testid="verify-result">
        {error ? (
          <div className="stack">
            <p className="verify-verdict verdict-bad">{t('verify.refused')}</p>
            <ErrorMessage error={error} />
          </div>
        ) : null}
        {outcome?.kind === 'mobile-id' ? (
          <div className="verify-ok" role="status">
            <p className="verify-verdict verdict-good">{t('verify.ok')}</p>
            <p>{t('verify.okMobile')}</p>
            <dl className="verify-facts">
              <div>
                <dt>{t('verify.signer')}</dt>
                <dd className="verify-signer">{outcome.result.signer.name}</dd>
              </div>
              <div>
                <dt>{t('verify.agency')}</dt>
                <dd>{outcome.result.signer.agency}</dd>
              </div>
              <div>
                <dt>{t('verify.employeeNumber')}</dt>
                <dd>{outcome.result.signer.employeeNumber}</dd>
              </div>
              <div>
                <dt>{t('verify.signedAt')}</dt>
                <dd data-testid="signed-at">{formatDateTime(isoOf(outcome.result.signedAt), lang)}</dd>
              </div>
              <div>
                <dt>{t('verify.cardStatus')}</dt>
                <dd>
                  {t('verify.cardValid', {
                    at: formatDateTime(isoOf(outcome.result.card.statusIssuedAt), lang),
                  })}
                </dd>
              </div>
              <div>
                <dt>{t('verify.pin')}</dt>
                <dd>
                  {outcome.result.pinConfirmedAt === undefined
                    ? t('verify.pinNone')
                    : t('verify.pinAt', { at: formatDateTime(isoOf(outcome.result.pinConfirmedAt), lang) })}
                </dd>
              </div>
              <div>
                <dt>{t('verify.documentTitle')}</dt>
                <dd>{outcome.result.title}</dd>
              </div>
              {outcome.result.reason ? (
                <div>
                  <dt>{t('verify.reason')}</dt>
                  <dd>{outcome.result.reason}</dd>
                </div>
              ) : null}
              <div>
                <dt>{t('verify.requester')}</dt>
                <dd>{outcome.result.audience}</dd>
              </div>
              <div className="verify-wide">
                <dt>{t('verify.sha256')}</dt>
                <dd className="hash">{outcome.result.sha256}</dd>
              </div>
            </dl>
          </div>
        ) : null}
        {outcome?.kind === 'gpki' ? (
          <div className="verify-ok" role="status">
            <p className="verify-verdict verdict-good">{t('verify.ok')}</p>
            <p>{t('verify.okGpki')}</p>
            {outcome.result.revokedAfterSigning ? (
              <div className="alert alert-warning">
                <p>
                  {t('verify.revokedLater', {
                    at: formatDateTime(outcome.result.revokedAfterSigning.toISOString(), lang),
                  })}
                </p>
              </div>
            ) : null}
            <dl className="verify-facts">
              <div>
                <dt>{t('verify.signer')}</dt>
                <dd className="verify-signer">
                  {outcome.result.signer.name ?? outcome.result.signer.commonName}
                </dd>
              </div>
              <div>
                <dt>{t('verify.certClass')}</dt>
                <dd>{t(`cert.class.${outcome.result.signer.class}`)}</dd>
              </div>
              <div>
                <dt>{t('verify.certIssuer')}</dt>
                <dd>{outcome.result.signer.issuer}</dd>
              </div>
              <div>
                <dt>{t('verify.signedAt')}</dt>
                <dd data-testid="signed-at">
                  {outcome.result.signingTime
                    ? formatDateTime(outcome.result.signingTime.toISOString(), lang)
                    : t('verify.noSigningTime')}
                </dd>
              </div>
              <div>
                <dt>{t('verify.certValidity')}</dt>
                <dd>
                  {formatDateTime(outcome.result.signer.notBefore.toISOString(), lang)} –{' '}
                  {formatDateTime(outcome.result.signer.notAfter.toISOString(), lang)} (
                  {t('verify.certValidAt')})
                </dd>
              </div>
              <div className="verify-wide">
                <dt>{t('verify.certSerial')}</dt>
                <dd className="hash">{outcome.result.signer.serial}</dd>
              </div>
              <div className="verify-wide">
                <dt>{t('verify.sha256')}</dt>
                <dd className="hash">{outcome.documentHash}</dd>
              </div>
            </dl>
            <p className="hint">{t('verify.signingTimeClaim')}</p>
          </div>
        ) : null}
      </div>
      <p>
        <Link to={ROUTE_PATHS.sign}>{t('verify.signLink')}</Link>
      </p>
    </section>
  );
}
