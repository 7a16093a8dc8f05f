// One recipient line (받는 사람 / 참조 / 숨은 참조): chips, and a combobox that suggests people from
// the directory as the user types (WAI-ARIA combobox with a listbox popup). Enter, Tab, comma or
// leaving the field turns typed addresses into chips; Backspace in an empty field removes the last.
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../../i18n/context.tsx';
import { addRecipients, formatRecipient, parseRecipients, type Recipient } from './recipients.ts';
import type { DirectoryPerson } from './send-api.ts';

export const SEARCH_DELAY_MS = 200;

export function RecipientField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: readonly Recipient[];
  readonly onChange: (next: Recipient[]) => void;
  readonly search: (q: string) => Promise<DirectoryPerson[]>;
}) {
  const { t } = useI18n();
  const listId = useId();
  const errorId = useId();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<DirectoryPerson[]>([]);
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [invalid, setInvalid] = useState<string[]>([]);
  const seq = useRef(0);
  const input = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    const q = text.trim();
    const mine = ++seq.current;
    if (q.length < 1 || /[,;]/.test(q)) {
      setOptions([]);
      setOpen(false);
      return;
    }
    const timer = setTimeout(() => {
      props.search(q).then(
        (people) => {
          if (mine !== seq.current) return;
          const taken = new Set(props.value.map((r) => r.address.toLowerCase()));
          const shown = people.filter((p) => !taken.has(p.address.toLowerCase()));
          setOptions(shown);
          setOpen(shown.length > 0);
          setActiveIndex(shown.length > 0 ? 0 : -1);
        },
        () => {
          if (mine === seq.current) setOpen(false);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, props.search, props.value]);

  const choose = (p: DirectoryPerson) => {
    props.onChange(addRecipients(props.value, [{ name: p.name, address: p.address }]));
    seq.current++;
    setText('');
    setOptions([]);
    setOpen(false);
    setInvalid([]);
    input.current?.focus();
  };

  /** Turns the typed text into chips; keeps what is not an address in the field. */
  const commit = (): boolean => {
    if (!text.trim()) return false;
    const parsed = parseRecipients(text);
    if (parsed.valid.length) props.onChange(addRecipients(props.value, parsed.valid));
    setInvalid(parsed.invalid);
    setText(parsed.invalid.join(', '));
    setOpen(false);
    return parsed.valid.length > 0;
  };

  const remove = (r: Recipient) => {
    props.onChange(props.value.filter((x) => x !== r));
    input.current?.focus();
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <div className="recipient-field">
      <label htmlFor={props.id} className="recipient-label">
        {props.label}
      </label>
      <div className={`recipient-box${invalid.length ? ' is-invalid' : ''}`}>
        {props.value.length > 0 ? (
          <ul className="chips" aria-label={t('compose.recipients.chosen', { field: props.label })}>
            {props.value.map((r) => (
              <li key={r.address} className="chip" title={r.address}>
                <span className="chip-text">{r.name || r.address}</span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t('compose.recipients.remove', { who: formatRecipient(r) })}
                  onClick={() => remove(r)}
                >
                  <span aria-hidden="true">×</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="combo">
          <input
            id={props.id}
            ref={input}
            className="recipient-input"
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={open && activeIndex >= 0 ? optionId(activeIndex) : undefined}
            aria-invalid={invalid.length > 0}
            aria-describedby={invalid.length ? errorId : undefined}
            value={text}
            onChange={(e) => {
              const v = e.target.value;
              // A separator typed or pasted: make chips of what came before it.
              if (/[,;\n]\s*$/.test(v) && parseRecipients(v).valid.length > 0 && !open) {
                const parsed = parseRecipients(v);
                props.onChange(addRecipients(props.value, parsed.valid));
                setInvalid(parsed.invalid);
                setText(parsed.invalid.join(', '));
                return;
              }
              setText(v);
              if (invalid.length) setInvalid([]);
            }}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && options.length) {
                e.preventDefault();
                setOpen(true);
                setActiveIndex((i) => (i + 1) % options.length);
              } else if (e.key === 'ArrowUp' && options.length) {
                e.preventDefault();
                setOpen(true);
                setActiveIndex((i) => (i <= 0 ? options.length - 1 : i - 1));
              } else if (e.key === 'Enter') {
                if (open && activeIndex >= 0 && options[activeIndex]) {
                  e.preventDefault();
                  choose(options[activeIndex]);
                } else if (text.trim()) {
                  e.preventDefault();
                  commit();
                }
              } else if (e.key === 'Tab' && open && activeIndex >= 0 && options[activeIndex]) {
                e.preventDefault();
                choose(options[activeIndex]);
              } else if ((e.key === ',' || e.key === ';') && text.trim()) {
                e.preventDefault();
                commit();
              } else if (e.key === 'Escape' && open) {
                e.preventDefault();
                setOpen(false);
              } else if (e.key === 'Backspace' && text === '' && props.value.length > 0) {
                props.onChange(props.value.slice(0, -1));
              }
            }}
            onBlur={() => {
              setOpen(false);
              commit();
            }}
          />
          <div
            id={listId}
            role="listbox"
            className="combo-list"
            hidden={!open}
            aria-label={t('compose.recipients.suggestions')}
          >
            {options.map((p, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys.
              <div
                key={p.address}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={i === activeIndex}
                className={`combo-option${i === activeIndex ? ' is-active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(p)}
              >
                <span className="combo-name">
                  {p.name}
                  {p.position ? <span className="combo-position"> {p.position}</span> : null}
                </span>
                <span className="combo-meta">
                  {[p.department, p.agency].filter(Boolean).join(' · ')} · {p.address}
                </span>
              </div>
            ))}
          </div>
        </div>
      </div>
      {invalid.length ? (
        <p id={errorId} className="field-error">
          {t('compose.recipients.invalid', { text: invalid.join(', ') })}
        </p>
      ) : null}
    </div>
  );
}
