import type { ChangeEvent } from 'react';

/**
 * A field for a numeric code or PIN: numeric keyboard on phones, only digits kept, the error tied
 * to the input with aria-describedby.
 */
export function DigitsField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly length: number;
  readonly onChange: (value: string) => void;
  readonly secret?: boolean;
  readonly autoComplete?: string;
  readonly error?: string | null;
  readonly hint?: string;
  readonly autoFocus?: boolean;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const onChange = (e: ChangeEvent<HTMLInputElement>) =>
    props.onChange(e.target.value.replace(/[^0-9]/g, '').slice(0, props.length));
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        className="digits"
        type={props.secret ? 'password' : 'text'}
        inputMode="numeric"
        pattern="[0-9]*"
        autoComplete={props.autoComplete ?? 'off'}
        maxLength={props.length}
        value={props.value}
        onChange={onChange}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
        // biome-ignore lint/a11y/noAutofocus: the one field of a step, reached on purpose
        autoFocus={props.autoFocus}
      />
      {props.hint ? (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
