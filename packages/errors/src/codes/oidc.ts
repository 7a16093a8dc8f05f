import { defineErrors } from '../spec.ts';

/** The OpenID Connect provider: registered clients, keys, sign-in interactions. */
export const oidcErrors = defineErrors({
  ERR_OIDC_CLIENT_EXISTS: {
    status: 409,
    title: 'OIDC client already registered',
    ko: '같은 client_id의 OIDC 클라이언트가 이미 등록되어 있습니다: {clientId}',
    en: 'An OIDC client with this client_id is already registered: {clientId}',
  },
  ERR_OIDC_REDIRECT_URI_INVALID: {
    status: 400,
    title: 'OIDC redirect URI not acceptable',
    ko: '리디렉션 URI는 https 주소여야 합니다(http는 localhost만 허용, 조각(#) 불가): {field}',
    en: 'Redirect URIs must be https URLs (http only for localhost, no #fragment): {field}',
  },
  ERR_OIDC_KEYS_UNREADABLE: {
    status: 500,
    title: 'OIDC keys cannot be decrypted',
    ko: 'OIDC 서명 키를 복호화할 수 없습니다. 모든 서버 프로세스가 같은 GONGJIK_OIDC_KEY_SECRET을 쓰는지 확인하십시오.',
    en: 'The OIDC signing keys cannot be decrypted. Check that every server process uses the same GONGJIK_OIDC_KEY_SECRET.',
  },
  ERR_OIDC_INTERACTION_NOT_FOUND: {
    status: 400,
    title: 'OIDC sign-in request expired or unknown',
    ko: '로그인 요청이 만료되었거나 찾을 수 없습니다. 이용하던 업무 시스템에서 다시 로그인하십시오.',
    en: 'The sign-in request has expired or is unknown. Start the sign-in again from the work system.',
  },
});
