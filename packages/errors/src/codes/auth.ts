import { defineErrors } from '../spec.ts';

/** Identity: sign-up, login, sessions. */
export const authErrors = defineErrors({
  ERR_AUTH_NAME_MISMATCH: {
    status: 403,
    title: 'Certificate name does not match the account',
    ko: '인증서의 이름({certName})이 메일 계정의 이름({accountName})과 정확히 일치하지 않습니다. 띄어쓰기나 글자가 다르면 인식되지 않습니다.',
    en: 'The name in the certificate ({certName}) does not exactly match the account name ({accountName}). A different spelling or a space is not accepted.',
  },
});
