import { describeError } from '../errors/describe.ts';
import { useI18n } from '../i18n/context.tsx';

/** A refusal or failure, in the page's language; announced to screen readers as it appears. */
export function ErrorMessage(props: { readonly error: unknown; readonly id?: string }) {
  const { lang, t } = useI18n();
  if (props.error === null || props.error === undefined) return null;
  const shown = describeError(props.error, lang);
  return (
    <div className="alert alert-error" role="alert" id={props.id} data-code={shown.code ?? undefined}>
      <p className="alert-title">{t('form.errorTitle')}</p>
      <p>{shown.message}</p>
      {shown.code ? <p className="alert-code">{shown.code}</p> : null}
    </div>
  );
}
