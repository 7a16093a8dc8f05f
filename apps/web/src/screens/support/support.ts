// The support API with the official's cookie (GETs only: no CSRF token needed).
import { createJsonClient } from '../../api/request.ts';
import { supportApi } from '../../api/support.ts';
import { loadLang } from '../../i18n/lang-store.ts';

export const support = supportApi(createJsonClient({ lang: () => loadLang(globalThis.localStorage) }));
