// A modal confirmation (the native <dialog>: focus moves into it and stays there, Esc cancels).
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../../i18n/context.tsx';

export function ConfirmDialog(props: {
  readonly title: string;
  readonly children?: ReactNode;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // the safe choice first: Enter on an unread dialog does nothing drastic
    cancelRef.current?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div className="actions">
        <button
          type="button"
          className={props.danger ? 'button button-danger-solid' : 'button button-primary'}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={props.onCancel} ref={cancelRef}>
          {t('mid.cancel')}
        </button>
      </div>
    </dialog>
  );
}
