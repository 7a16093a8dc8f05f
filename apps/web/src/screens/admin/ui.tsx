// Small building blocks of the portal's forms and lists.
import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/context.tsx';

export interface Loaded<T> {
  readonly value: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/** Runs `load` when `key` changes (and on reload()); the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ value: T | null; error: unknown; loading: boolean }>({
    value: null,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key and generation are the triggers.
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (value) => live && setState({ value, error: null, loading: false }),
      (error: unknown) => live && setState({ value: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

interface FieldProps {
  readonly label: string;
  readonly hint?: string;
  readonly children: (id: string, describedBy: string | undefined) => ReactNode;
}

export function Field(props: FieldProps) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.children(id, hintId)}
    </div>
  );
}

export function TextField(props: {
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly required?: boolean;
  readonly type?: 'text' | 'date' | 'password' | 'tel' | 'email';
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly autoComplete?: string;
  readonly name?: string;
  readonly inputMode?: 'text' | 'numeric' | 'tel' | 'email';
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, describedBy) => (
        <input
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          maxLength={props.maxLength}
          pattern={props.pattern}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(props: {
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly options: readonly Option[];
  readonly onChange: (value: string) => void;
  readonly required?: boolean;
  readonly name?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id, describedBy) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          required={props.required}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField(props: {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}

/** A secret the server returns once (sign-up code, HR API key): shown here and nowhere else. */
export function ShownOnce(props: {
  readonly title: string;
  readonly value: string;
  readonly children?: ReactNode;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="shown-once" role="status" tabIndex={-1} ref={ref}>
      <p className="shown-once-title">{props.title}</p>
      <p className="shown-once-value">
        <code data-testid="shown-once">{props.value}</code>
      </p>
      <p className="shown-once-warning">{t('admin.shownOnce')}</p>
      {props.children}
    </div>
  );
}

/** "Loading…" while the first answer is on its way, announced politely. */
export function Loading(props: { readonly loading: boolean }) {
  const { t } = useI18n();
  return (
    <p className="status" role="status">
      {props.loading ? t('admin.loading') : ''}
    </p>
  );
}

/** A success message after a change, announced politely. */
export function Done(props: { readonly message: string | null }) {
  return (
    <p className="status status-done" role="status">
      {props.message ?? ''}
    </p>
  );
}

export interface ConfirmedAction {
  readonly error: unknown;
  readonly done: string | null;
  /** Shows `done` (or clears it), e.g. after a create form reported success. */
  readonly setDone: (message: string | null) => void;
  /** Asks `question`; when confirmed runs `action`, then reports `doneMessage` or the error. */
  readonly run: (question: string, action: () => Promise<void>, doneMessage: string) => Promise<void>;
}

/** A destructive action behind a confirmation, with its outcome (an error, or a done message). */
export function useConfirmedAction(): ConfirmedAction {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (question: string, action: () => Promise<void>, doneMessage: string) => {
    setError(null);
    setDone(null);
    if (!window.confirm(question)) return;
    try {
      await action();
      setDone(doneMessage);
    } catch (err) {
      setError(err);
    }
  }, []);
  return { error, done, setDone, run };
}
