import { createApiClient } from '../api/http.ts';
import { loadLang } from '../i18n/lang-store.ts';
import { getSession } from './session.ts';

/** The app's API client: same origin, the page's language, the session's CSRF token. */
export const api = createApiClient({
  lang: () => loadLang(globalThis.localStorage),
  csrfToken: () => getSession()?.csrfToken ?? null,
});
