// Message lookup and `{placeholder}` filling, without React (usable from tests and plain modules).
import { fillMessage, type Lang, type MessageVars } from '@gongjik/web-kit/i18n';
import { en } from './en.ts';
import { type Catalog, ko, type MessageKey } from './ko.ts';

export { isLang, LANGS, type Lang, type MessageVars, placeholdersOf } from '@gongjik/web-kit/i18n';

const catalogs: Readonly<Record<Lang, Catalog>> = { ko, en };

export function catalogOf(lang: Lang): Catalog {
  return catalogs[lang];
}

/** The message for `key` in `lang` with `{name}` placeholders filled; unknown placeholders stay visible. */
export function translate(lang: Lang, key: MessageKey, vars: MessageVars = {}): string {
  return fillMessage(catalogs[lang][key], vars);
}
