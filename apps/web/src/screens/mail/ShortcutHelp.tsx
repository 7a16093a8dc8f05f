// The "?" dialog listing the keyboard shortcuts (a native modal <dialog>: focus trap, Esc closes).
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/context.tsx';
import { SHORTCUTS } from './shortcuts.ts';

const KEY_LABEL: Readonly<Record<string, string>> = { Enter: 'Enter', Delete: 'Delete' };

export function ShortcutHelp(props: { readonly open: boolean; readonly onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="shortcut-dialog" aria-labelledby="shortcut-title" onClose={props.onClose}>
      <h2 id="shortcut-title">{t('mail.shortcuts.title')}</h2>
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div key={s.action}>
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? ` ${t('mail.shortcuts.or')} ` : null}
                  <kbd>{KEY_LABEL[k] ?? k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(`mail.shortcuts.${s.action}`)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" className="button-small">
          {t('mail.shortcuts.close')}
        </button>
      </form>
    </dialog>
  );
}
