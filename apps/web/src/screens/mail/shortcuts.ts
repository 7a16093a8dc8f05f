// Keyboard shortcuts of the webmail, as pure data and one dispatch function (tested without a DOM).
// They never fire while the user types: in inputs, text areas, selects, editable content, or with
// Ctrl / Alt / Meta held (those belong to the browser and the system).

export type ShortcutAction =
  | 'next'
  | 'prev'
  | 'open'
  | 'back'
  | 'reply'
  | 'replyAll'
  | 'forward'
  | 'compose'
  | 'delete'
  | 'flag'
  | 'search'
  | 'help';

/** Keys per action, in the order the help dialog lists them (KeyboardEvent.key values). */
export const SHORTCUTS: readonly { readonly action: ShortcutAction; readonly keys: readonly string[] }[] = [
  { action: 'next', keys: ['j'] },
  { action: 'prev', keys: ['k'] },
  { action: 'open', keys: ['Enter', 'o'] },
  { action: 'back', keys: ['u'] },
  { action: 'reply', keys: ['r'] },
  { action: 'replyAll', keys: ['a'] },
  { action: 'forward', keys: ['f'] },
  { action: 'compose', keys: ['c'] },
  { action: 'delete', keys: ['#', 'Delete'] },
  { action: 'flag', keys: ['s'] },
  { action: 'search', keys: ['/'] },
  { action: 'help', keys: ['?'] },
];

const BY_KEY: ReadonlyMap<string, ShortcutAction> = new Map(
  SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as const)),
);

/** What the dispatcher needs to know about a keydown (a KeyboardEvent has all of it). */
export interface KeyInput {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly isComposing?: boolean;
  readonly defaultPrevented?: boolean;
  readonly target: {
    readonly tagName?: string;
    readonly isContentEditable?: boolean;
    readonly type?: string;
    readonly closest?: (selector: string) => unknown;
  } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Controls where Enter already means something (pressing a button, following a link, a checkbox). */
const ENTER_OWNERS = new Set(['BUTTON', 'A', 'SUMMARY', 'INPUT', 'TEXTAREA', 'SELECT']);

/** True when keys typed at `target` are text (or a form control's own keys), not commands. */
export function isTyping(target: KeyInput['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  if (TYPING_TAGS.has(tag)) return true;
  // Inside a dialog the dialog's own controls take the keys.
  return Boolean(target.closest?.('[role="dialog"], dialog'));
}

/** The action a keydown asks for, or null (not a shortcut, or the user is typing). */
export function shortcutFor(event: KeyInput): ShortcutAction | null {
  if (event.defaultPrevented || event.isComposing) return null;
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  if (isTyping(event.target)) return null;
  const action = BY_KEY.get(event.key) ?? BY_KEY.get(event.key.length === 1 ? event.key.toLowerCase() : '');
  if (!action) return null;
  // Upper-case letters (Shift held) are not the shortcuts, except the symbols typed with Shift.
  if (event.key.length === 1 && /[A-Z]/.test(event.key)) return null;
  if (action === 'open' && event.key === 'Enter') {
    const tag = (event.target?.tagName ?? '').toUpperCase();
    if (ENTER_OWNERS.has(tag)) return null;
  }
  return action;
}
