// Draft autosave as a small state machine: an edit makes the draft dirty and (re)starts the
// debounce; when it runs out the draft is saved; an edit during a save marks it to be saved again
// right after; a failed save waits for the next edit or an explicit flush. The reducer is pure;
// `createAutosave` runs it with injected timers and clock (tests drive both).

export type SaveState =
  | { readonly kind: 'clean'; readonly savedAt: Date | null }
  | { readonly kind: 'dirty'; readonly savedAt: Date | null; readonly dueAt: number }
  | { readonly kind: 'saving'; readonly savedAt: Date | null; readonly again: boolean }
  | { readonly kind: 'failed'; readonly savedAt: Date | null; readonly error: unknown };

export type SaveEvent =
  | { readonly type: 'edit'; readonly now: number }
  | { readonly type: 'due'; readonly now: number }
  | { readonly type: 'flush' }
  | { readonly type: 'saved'; readonly at: Date; readonly now: number }
  | { readonly type: 'failed'; readonly error: unknown };

export const AUTOSAVE_DELAY_MS = 2000;

export function initialSaveState(savedAt: Date | null = null): SaveState {
  return { kind: 'clean', savedAt };
}

export function reduceSave(state: SaveState, event: SaveEvent, delayMs = AUTOSAVE_DELAY_MS): SaveState {
  switch (event.type) {
    case 'edit':
      if (state.kind === 'saving') return state.again ? state : { ...state, again: true };
      return { kind: 'dirty', savedAt: state.savedAt, dueAt: event.now + delayMs };
    case 'due':
      if (state.kind === 'dirty' && event.now >= state.dueAt)
        return { kind: 'saving', savedAt: state.savedAt, again: false };
      return state;
    case 'flush':
      if (state.kind === 'dirty' || state.kind === 'failed')
        return { kind: 'saving', savedAt: state.savedAt, again: false };
      return state;
    case 'saved':
      if (state.kind !== 'saving') return state;
      return state.again
        ? { kind: 'dirty', savedAt: event.at, dueAt: event.now + delayMs }
        : { kind: 'clean', savedAt: event.at };
    case 'failed':
      if (state.kind !== 'saving') return state;
      return { kind: 'failed', savedAt: state.savedAt, error: event.error };
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutosaveOptions {
  /** saves the current draft; resolves to the time the server says it was saved */
  readonly save: () => Promise<Date>;
  readonly onChange: (state: SaveState) => void;
  readonly delayMs?: number;
  readonly now?: () => number;
  readonly timers?: Timers;
  readonly savedAt?: Date | null;
}

export interface Autosave {
  /** the draft changed */
  edit(): void;
  /** save now if anything is unsaved; resolves when nothing is left to save (or the save failed) */
  flush(): Promise<void>;
  state(): SaveState;
  dispose(): void;
}

export function createAutosave(options: AutosaveOptions): Autosave {
  const delay = options.delayMs ?? AUTOSAVE_DELAY_MS;
  const now = options.now ?? (() => Date.now());
  const timers: Timers = options.timers ?? {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  let state = initialSaveState(options.savedAt ?? null);
  let timer: unknown = null;
  let disposed = false;
  let waiters: (() => void)[] = [];

  const settleWaiters = () => {
    if (state.kind === 'saving') return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const settled = () => new Promise<void>((resolve) => waiters.push(resolve));
  const dispatch = (event: SaveEvent) => {
    const before = state;
    state = reduceSave(state, event, delay);
    // Only what the screen shows (a new deadline per keystroke is not news).
    if (state.kind !== before.kind || state.savedAt !== before.savedAt) options.onChange(state);
    if (state.kind === 'dirty' && (before.kind !== 'dirty' || before.dueAt !== state.dueAt)) schedule();
    if (state.kind === 'saving' && before.kind !== 'saving') run();
    settleWaiters();
  };
  const schedule = () => {
    if (timer !== null) timers.clearTimeout(timer);
    if (state.kind !== 'dirty' || disposed) return;
    timer = timers.setTimeout(
      () => {
        timer = null;
        dispatch({ type: 'due', now: now() });
      },
      Math.max(0, state.dueAt - now()),
    );
  };
  const run = () => {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    options.save().then(
      (at) => {
        if (!disposed) dispatch({ type: 'saved', at, now: now() });
      },
      (error: unknown) => {
        if (!disposed) dispatch({ type: 'failed', error });
      },
    );
  };
  return {
    edit: () => dispatch({ type: 'edit', now: now() }),
    async flush() {
      // Bounded: each round saves what was unsaved; edits made meanwhile need at most one more.
      for (let round = 0; round < 3 && !disposed; round++) {
        if (state.kind === 'clean') return;
        if (state.kind === 'saving') {
          await settled();
          continue;
        }
        dispatch({ type: 'flush' });
        await settled();
        if (state.kind === 'failed') return;
      }
    },
    state: () => state,
    dispose() {
      disposed = true;
      if (timer !== null) timers.clearTimeout(timer);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
  };
}
