// Message catalogs for the browser apps: Korean by default, English on request, the choice kept in
// localStorage. Each app has its own catalogs and storage key; the mechanics are shared here.
// (No JSX: this file is also type-checked by the root project, which has no JSX settings.)
import {
  createContext,
  createElement,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];
export type MessageVars = Readonly<Record<string, string | number>>;

export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

/** `template` with `{name}` placeholders filled; unknown placeholders stay visible. */
export function fillMessage(template: string, vars: MessageVars = {}): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** `{a}`, `{b}` placeholders of a message, sorted (the catalogs must agree on them). */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

export interface LangStore {
  load(storage: Pick<Storage, 'getItem'> | undefined): Lang;
  save(storage: Pick<Storage, 'setItem'> | undefined, lang: Lang): void;
}

/** The language choice under `key`: Korean unless the user switched. */
export function langStore(key: string): LangStore {
  return {
    load(storage) {
      try {
        const saved = storage?.getItem(key);
        return isLang(saved) ? saved : 'ko';
      } catch {
        return 'ko';
      }
    },
    save(storage, lang) {
      try {
        storage?.setItem(key, lang);
      } catch {
        // Storage may be disabled (private mode): the choice then lasts for this page only.
      }
    },
  };
}

export interface I18n<Key extends string> {
  readonly lang: Lang;
  readonly t: (key: Key, vars?: MessageVars) => string;
  readonly setLang: (lang: Lang) => void;
}

function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** A React provider and hook translating with `translate`, remembering the choice in `store`. */
export function createI18n<Key extends string>(
  translate: (lang: Lang, key: Key, vars?: MessageVars) => string,
  store: LangStore,
) {
  const I18nContext = createContext<I18n<Key> | null>(null);

  function I18nProvider({ children }: { readonly children: ReactNode }) {
    const [lang, setLangState] = useState<Lang>(() => store.load(browserStorage()));
    const setLang = useCallback((next: Lang) => {
      store.save(browserStorage(), next);
      setLangState(next);
    }, []);
    useEffect(() => {
      document.documentElement.lang = lang;
    }, [lang]);
    const value = useMemo<I18n<Key>>(
      () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }),
      [lang, setLang],
    );
    return createElement(I18nContext.Provider, { value }, children);
  }

  function useI18n(): I18n<Key> {
    const i18n = useContext(I18nContext);
    if (!i18n) throw new Error('useI18n outside I18nProvider');
    return i18n;
  }

  return { I18nProvider, useI18n };
}
