import { adminApi } from '../../api/admin.ts';
import { createJsonClient } from '../../api/request.ts';
import { loadLang } from '../../i18n/lang-store.ts';
import { getAdminToken } from './admin-token.ts';

/** The admin API with the token of this tab. */
export const admin = adminApi(
  createJsonClient({
    lang: () => loadLang(globalThis.localStorage),
    headers: (): Record<string, string> => {
      const token = getAdminToken();
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
  }),
);

/** The same API with a token being tried on the sign-in screen. */
export function adminWithToken(token: string) {
  return adminApi(
    createJsonClient({
      lang: () => loadLang(globalThis.localStorage),
      headers: () => ({ Authorization: `Bearer ${token}` }),
    }),
  );
}
