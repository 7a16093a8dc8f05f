// Choose a certificate (remembered, or from a picked folder), type its password, unlock the key in
// the browser, then hand the unlocked key to the screen (login, sign-up, renewal) for signing.
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ClientError } from '../errors/client-error.ts';
import { useI18n } from '../i18n/context.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { CertificateList } from './CertificateList.tsx';
import {
  blockersOf,
  type CertificateChoice,
  type FolderScan,
  rememberedChoices,
  scanFolder,
} from './choices.ts';
import { hasDirectoryPicker, pickDirectory, pickedFromFiles } from './files.ts';
import { type UnlockedCertificate, unlockCertificate } from './prove.ts';
import { forget, remember } from './store.ts';

interface Props {
  readonly submitLabel: string;
  readonly busyLabel: string;
  /** Offer "remember this certificate in this browser" (login). */
  readonly allowRemember: boolean;
  /** Checks before the key is touched (e.g. the name rule at sign-up); throw to refuse. */
  readonly check?: (choice: CertificateChoice) => void;
  /** Signs and sends with the unlocked key; what it throws is shown. */
  readonly onUnlocked: (unlocked: UnlockedCertificate, choice: CertificateChoice) => Promise<void>;
}

type ScanState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'scanning' }
  | ({ readonly kind: 'done' } & FolderScan);

export function CertificateForm(props: Props) {
  const { t } = useI18n();
  const id = useId();
  const [remembered, setRemembered] = useState<CertificateChoice[]>([]);
  const [scan, setScan] = useState<ScanState>({ kind: 'idle' });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [rememberIt, setRememberIt] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const dirInput = useRef<HTMLInputElement | null>(null);
  const passwordInput = useRef<HTMLInputElement | null>(null);
  const now = new Date();

  const reloadRemembered = useCallback(async () => {
    try {
      const choices = await rememberedChoices();
      setRemembered(choices);
      const usable = choices.find((c) => blockersOf(c, new Date()).length === 0);
      if (usable) setSelectedId((current) => current ?? usable.id);
    } catch {
      setRemembered([]);
    }
  }, []);
  useEffect(() => {
    void reloadRemembered();
  }, [reloadRemembered]);

  const folderChoices = scan.kind === 'done' ? scan.choices : [];
  const all = [...remembered, ...folderChoices];
  const selected = all.find((c) => c.id === selectedId) ?? null;

  const onFiles = async (files: Parameters<typeof scanFolder>[0] | null) => {
    if (!files) return;
    setError(null);
    setNotice(null);
    setScan({ kind: 'scanning' });
    try {
      const result = await scanFolder(files, new Date());
      setScan({ kind: 'done', ...result });
      const firstUsable = result.choices.find((c) => blockersOf(c, new Date()).length === 0);
      if (
        firstUsable &&
        !remembered.some((r) => r.description.fingerprintSha256 === firstUsable.description.fingerprintSha256)
      )
        setSelectedId(firstUsable.id);
    } catch (err) {
      setScan({ kind: 'idle' });
      setError(err);
    }
  };

  const chooseFolder = async () => {
    if (hasDirectoryPicker()) {
      try {
        await onFiles(await pickDirectory());
      } catch (err) {
        setError(err);
      }
    } else {
      dirInput.current?.click();
    }
  };

  const onForget = async (choice: CertificateChoice) => {
    try {
      await forget(choice.description.fingerprintSha256);
      if (selectedId === choice.id) setSelectedId(null);
      await reloadRemembered();
      setNotice(t('picker.forgotten'));
    } catch (err) {
      setError(err);
    }
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setNotice(null);
    if (!selected || blockersOf(selected, new Date()).length > 0) {
      setError(new ClientError('form.required.certificate'));
      return;
    }
    if (password.length === 0) {
      setError(new ClientError('form.required.password'));
      passwordInput.current?.focus();
      return;
    }
    setBusy(true);
    const typed = password;
    setPassword('');
    try {
      props.check?.(selected);
      let keyFile: Uint8Array;
      try {
        keyFile = await selected.readKeyFile!();
      } catch {
        throw new ClientError('error.readFile');
      }
      const unlocked = await unlockCertificate(selected.description.der, keyFile, typed);
      if (rememberIt && props.allowRemember && selected.source === 'folder') {
        try {
          await remember({
            id: selected.description.fingerprintSha256,
            certificate: selected.description.der,
            encryptedKeyFile: keyFile,
            savedAt: new Date().toISOString(),
          });
          await reloadRemembered();
        } catch {
          setNotice(t('error.storage'));
        }
      }
      await props.onUnlocked(unlocked, selected);
    } catch (err) {
      setError(err);
      passwordInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const setDirectoryAttribute = useCallback((input: HTMLInputElement | null) => {
    dirInput.current = input;
    input?.setAttribute('webkitdirectory', '');
  }, []);

  return (
    <form className="cert-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      <CertificateList
        legend={t('picker.remembered')}
        choices={remembered}
        selectedId={selectedId}
        onSelect={(c) => setSelectedId(c.id)}
        onForget={onForget}
        now={now}
      />

      <fieldset className="picker">
        <legend>{t('picker.folderLegend')}</legend>
        <p className="hint" id={`${id}-folder-hint`}>
          {t('picker.folderHint')}
        </p>
        <div className="picker-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={chooseFolder}
            aria-describedby={`${id}-folder-hint`}
          >
            {t('picker.chooseFolder')}
          </button>
          <label className="button button-quiet file-fallback">
            <input
              type="file"
              multiple
              accept=".cer,.key,.der,.pem"
              className="visually-hidden"
              data-testid="files-input"
              aria-describedby={`${id}-files-hint`}
              onChange={(e) =>
                void onFiles(e.currentTarget.files ? pickedFromFiles(e.currentTarget.files) : null)
              }
            />
            <span>{t('picker.filesInput')}</span>
          </label>
        </div>
        <input
          ref={setDirectoryAttribute}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-label={t('picker.folderInput')}
          data-testid="folder-input"
          onChange={(e) =>
            void onFiles(e.currentTarget.files ? pickedFromFiles(e.currentTarget.files) : null)
          }
        />
        <p className="file-fallback-hint" id={`${id}-files-hint`}>
          {t('picker.filesHint')}
        </p>
        <p className="status" role="status" aria-live="polite">
          {scan.kind === 'scanning' ? t('picker.scanning') : null}
          {scan.kind === 'done'
            ? scan.choices.length > 0
              ? t('picker.found', { count: scan.choices.length })
              : t('picker.none')
            : null}
          {scan.kind === 'done' && scan.skipped > 0
            ? ` ${t('picker.skipped', { count: scan.skipped })}`
            : null}
          {scan.kind === 'done' && scan.truncated ? ` ${t('picker.truncated')}` : null}
          {notice ? ` ${notice}` : null}
        </p>
      </fieldset>

      <CertificateList
        legend={t('picker.fromFolder')}
        choices={folderChoices}
        selectedId={selectedId}
        onSelect={(c) => setSelectedId(c.id)}
        now={now}
      />

      <div className="field">
        <label htmlFor={`${id}-password`}>{t('password.label')}</label>
        <p className="hint" id={`${id}-password-hint`}>
          {t('password.hint')}
        </p>
        <input
          ref={passwordInput}
          id={`${id}-password`}
          name="certificate-password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          aria-describedby={`${id}-password-hint`}
          maxLength={256}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={showPassword}
            onChange={(e) => setShowPassword(e.currentTarget.checked)}
          />
          <span>{t('password.show')}</span>
        </label>
      </div>

      {props.allowRemember ? (
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={rememberIt}
              onChange={(e) => setRememberIt(e.currentTarget.checked)}
              aria-describedby={`${id}-remember-hint`}
            />
            <span>{t('remember.label')}</span>
          </label>
          <p className="hint" id={`${id}-remember-hint`}>
            {t('remember.hint')}
          </p>
        </div>
      ) : null}

      <ErrorMessage error={error} />

      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? props.busyLabel : props.submitLabel}
      </button>
    </form>
  );
}
