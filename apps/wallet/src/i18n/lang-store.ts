// The chosen language: Korean unless the holder switched, remembered in localStorage.
import { isLang, type Lang } from './format.ts';

const KEY = 'gongjik.wallet.lang';

export function loadLang(storage: Pick<Storage, 'getItem'> | undefined): Lang {
  try {
    const saved = storage?.getItem(KEY);
    return isLang(saved) ? saved : 'ko';
  } catch {
    return 'ko';
  }
}

export function saveLang(storage: Pick<Storage, 'setItem'> | undefined, lang: Lang): void {
  try {
    storage?.setItem(KEY, lang);
  } catch {
    // Storage may be disabled: the choice then lasts for this page only.
  }
}
