// Message lookup and `{placeholder}` filling, without React (usable from tests and plain modules).
import { en } from './en.ts';
import { type Catalog, ko, type MessageKey } from './ko.ts';

export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];
export type MessageVars = Readonly<Record<string, string | number>>;

const catalogs: Readonly<Record<Lang, Catalog>> = { ko, en };

export function catalogOf(lang: Lang): Catalog {
  return catalogs[lang];
}

/** The message for `key` in `lang` with `{name}` placeholders filled; unknown placeholders stay visible. */
export function translate(lang: Lang, key: MessageKey, vars: MessageVars = {}): string {
  return catalogs[lang][key].replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

/** `{a}`, `{b}` placeholders of a message, sorted (the catalogs must agree on them). */
export function placeholdersOf(message: string): string[] {
  return [...message.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}
