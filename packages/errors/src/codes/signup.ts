import { defineErrors } from '../spec.ts';

/** Sign-up: eligibility and one-time sign-up codes issued through HR. */
export const signupErrors = defineErrors({
  ERR_SIGNUP_ORG_NOT_ELIGIBLE: {
    status: 403,
    title: 'Organisation not eligible',
    ko: '공공기관({agency}) 소속 직원은 공직자 통합 메일에 가입할 수 없습니다. 통합 메일은 중앙행정기관, 지방자치단체, 교육기관 공무원을 위한 서비스입니다.',
    en: 'Staff of public institutions ({agency}) cannot sign up: the integrated mail is for officials of central agencies, local governments and education offices.',
  },
  ERR_SIGNUP_NO_ACCOUNT: {
    status: 409,
    title: 'No mail account yet',
    ko: '이 직원에게는 아직 메일 계정이 없습니다. 인사 정보에 메일 아이디를 먼저 등록하십시오.',
    en: 'This person has no mail account yet. Give them a mail ID in the HR record first.',
  },
  ERR_SIGNUP_CODE_INVALID: {
    status: 401,
    title: 'Wrong sign-up code',
    ko: '아이디 또는 가입 코드가 올바르지 않습니다. 여러 번 틀리면 코드가 무효가 됩니다.',
    en: 'The account ID or the sign-up code is wrong. After several wrong attempts the code stops working.',
  },
  ERR_SIGNUP_CODE_EXPIRED: {
    status: 401,
    title: 'Sign-up code expired',
    ko: '가입 코드의 유효기간이 지났습니다. 인사 담당자에게 새 코드를 요청하십시오.',
    en: 'The sign-up code has expired. Ask your HR office for a new one.',
  },
  ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED: {
    status: 403,
    title: 'Too many wrong sign-up codes',
    ko: '가입 코드를 너무 많이 틀려 코드가 무효가 되었습니다. 인사 담당자에게 새 코드를 요청하십시오.',
    en: 'Too many wrong attempts: the sign-up code is no longer valid. Ask your HR office for a new one.',
  },
});
