import { type FormEvent, useState } from 'react';
import { navigate } from '../../app/router.ts';
import { ClientError } from '../../errors/client-error.ts';
import { useI18n } from '../../i18n/context.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../../ui/ScreenHeading.tsx';
import { ADMIN_TOKEN_PATTERN, setAdminToken } from './admin-token.ts';
import { adminWithToken } from './client.ts';
import { ADMIN_PATHS } from './paths.ts';
import { TextField } from './ui.tsx';

/** Sign-in with the administrator token (`<data-dir>/admin-token`), checked against the server. */
export function AdminLoginScreen() {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const value = token.trim();
    if (!ADMIN_TOKEN_PATTERN.test(value)) {
      setError(new ClientError('admin.login.badShape'));
      return;
    }
    setBusy(true);
    try {
      await adminWithToken(value).checkToken();
      setAdminToken(value);
      navigate(ADMIN_PATHS.agencies, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="screen-title">
      <ScreenHeading>{t('admin.login.title')}</ScreenHeading>
      <form className="stack" onSubmit={onSubmit}>
        <p className="lead">{t('admin.login.intro')}</p>
        <TextField
          label={t('admin.login.token')}
          hint={t('admin.login.tokenHint')}
          type="password"
          name="admin-token"
          value={token}
          onChange={setToken}
          required
          maxLength={300}
        />
        <p className="note">{t('admin.login.storage')}</p>
        <ErrorMessage error={error} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('admin.login.busy') : t('admin.login.submit')}
        </button>
      </form>
    </section>
  );
}
