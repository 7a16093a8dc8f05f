import { adminApi } from '../../api/admin.ts';
import { midAdminApi } from '../../api/mobile-id.ts';
import { oidcAdminApi } from '../../api/oidc-admin.ts';
import { createJsonClient } from '../../api/request.ts';
import { loadLang } from '../../i18n/lang-store.ts';
import { getAdminToken } from './admin-token.ts';

const tabClient = createJsonClient({
  lang: () => loadLang(globalThis.localStorage),
  headers: (): Record<string, string> => {
    const token = getAdminToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  },
});

/** The admin API with the token of this tab. */
export const admin = adminApi(tabClient);
/** OIDC clients and the agency update, with the token of this tab. */
export const oidcAdmin = oidcAdminApi(tabClient);
/** Mobile-ID requests, SMS outbox and status lists, with the token of this tab. */
export const midAdmin = midAdminApi(tabClient);

/** The same API with a token being tried on the sign-in screen. */
export function adminWithToken(token: string) {
  return adminApi(
    createJsonClient({
      lang: () => loadLang(globalThis.localStorage),
      headers: () => ({ Authorization: `Bearer ${token}` }),
    }),
  );
}
