// /sign — a signed-in official signs a document with their GPKI certificate: the document is hashed
// and signed here (detached CMS, kpki's signCmsDetached), the key is unlocked in the browser by the
// shared certificate form and never leaves it; the .p7s is offered as a download.
import { signCmsDetached } from '@gongjik/kpki';
import { documentSha256 } from '@gongjik/mobile-id';
import { useEffect, useId, useRef, useState } from 'react';
import { createJsonClient } from '../../api/request.ts';
import { sessionsApi } from '../../api/sessions.ts';
import { Link } from '../../app/Link.tsx';
import { navigate, ROUTE_PATHS } from '../../app/router.ts';
import { getSession, setSession } from '../../app/session.ts';
import { CertificateForm } from '../../cert/CertificateForm.tsx';
import { ClientError } from '../../errors/client-error.ts';
import { useI18n } from '../../i18n/context.tsx';
import { loadLang } from '../../i18n/lang-store.ts';
import { formatDateTime } from '../../ui/datetime.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';

const sessions = sessionsApi(createJsonClient({ lang: () => loadLang(globalThis.localStorage) }));

interface Chosen {
  readonly name: string;
  readonly size: number;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly hash: string;
}

interface Signed {
  readonly file: string;
  readonly url: string;
  readonly signer: string;
  readonly at: Date;
}

export function SignDocumentScreen() {
  const { lang, t } = useI18n();
  const id = useId();
  const [ready, setReady] = useState(getSession() !== null);
  const [doc, setDoc] = useState<Chosen | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [signed, setSigned] = useState<Signed | null>(null);
  const doneRef = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    if (getSession()) return;
    let live = true;
    sessions.current().then(
      (s) => {
        if (!live) return;
        setSession(s);
        setReady(true);
      },
      () => {
        if (live) navigate(`${ROUTE_PATHS.login}`, { replace: true });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => () => (signed ? URL.revokeObjectURL(signed.url) : undefined), [signed]);

  const onDocument = async (file: File | null) => {
    setError(null);
    setSigned(null);
    if (!file) {
      setDoc(null);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    setDoc({ name: file.name, size: file.size, bytes, hash: await documentSha256(bytes) });
  };

  if (!ready) return <p role="status">{t('sign.loading')}</p>;
  return (
    <section className="panel panel-wide" aria-labelledby="screen-title">
      <ScreenHeading>{t('sign.title')}</ScreenHeading>
      <p className="lead">{t('sign.intro')}</p>
      {signed ? (
        <div className="verify-ok stack" ref={doneRef} tabIndex={-1} role="status" data-testid="sign-done">
          <p className="verify-verdict verdict-good">{t('sign.done')}</p>
          <p>{t('sign.doneBody', { name: doc?.name ?? '' })}</p>
          <dl className="verify-facts">
            <div>
              <dt>{t('sign.signer')}</dt>
              <dd className="verify-signer">{signed.signer}</dd>
            </div>
            <div>
              <dt>{t('verify.signedAt')}</dt>
              <dd>{formatDateTime(signed.at.toISOString(), lang)}</dd>
            </div>
            <div className="verify-wide">
              <dt>{t('verify.sha256')}</dt>
              <dd className="hash">{doc?.hash}</dd>
            </div>
          </dl>
          <p className="actions">
            <a
              className="button button-primary"
              href={signed.url}
              download={signed.file}
              data-testid="download"
            >
              {t('sign.download', { file: signed.file })}
            </a>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setSigned(null);
                setDoc(null);
              }}
            >
              {t('sign.another')}
            </button>
          </p>
          <p>
            <Link to={ROUTE_PATHS.verify}>{t('sign.verifyLink')}</Link>
          </p>
        </div>
      ) : (
        <>
          <fieldset className="form-card sign-step">
            <legend>{t('sign.documentLegend')}</legend>
            <div className="field drop-field">
              <label htmlFor={`${id}-doc`}>{t('sign.documentFile')}</label>
              <p className="hint" id={`${id}-doc-hint`}>
                {t('sign.documentHint')}
              </p>
              <input
                id={`${id}-doc`}
                type="file"
                aria-describedby={`${id}-doc-hint`}
                data-testid="sign-document-input"
                onChange={(e) => void onDocument(e.currentTarget.files?.[0] ?? null).catch(setError)}
              />
            </div>
            {doc ? (
              <p className="hint hash" data-testid="document-chosen">
                {t('sign.documentChosen', { name: doc.name, size: doc.size, hash: doc.hash })}
              </p>
            ) : null}
          </fieldset>
          <ErrorMessage error={error} />
          <fieldset className="form-card sign-step">
            <legend>{t('sign.certLegend')}</legend>
            <CertificateForm
              submitLabel={t('sign.submit')}
              busyLabel={t('sign.busy')}
              allowRemember={false}
              check={() => {
                if (!doc) throw new ClientError('sign.needDocument');
              }}
              onUnlocked={async (unlocked, choice) => {
                if (!doc) throw new ClientError('sign.needDocument');
                const at = new Date();
                const cms = await signCmsDetached({
                  content: doc.bytes,
                  certDer: unlocked.certificate,
                  privateKey: unlocked.key,
                  signingTime: at,
                });
                const url = URL.createObjectURL(new Blob([cms], { type: 'application/pkcs7-signature' }));
                setSigned({
                  file: `${doc.name}.p7s`,
                  url,
                  signer: choice.description.holderName ?? choice.description.subject.dn,
                  at,
                });
                requestAnimationFrame(() => doneRef.current?.focus());
              }}
            />
          </fieldset>
        </>
      )}
    </section>
  );
}
