// The chosen language: Korean unless the holder switched, remembered in localStorage.
import { langStore } from '@gongjik/web-kit/i18n';

const store = langStore('gongjik.wallet.lang');
export const loadLang = store.load;
export const saveLang = store.save;
export { store as langStore };
