import { defineErrors } from '../spec.ts';

/** Identity: sign-up, login, sessions. */
export const authErrors = defineErrors({
  ERR_AUTH_NAME_MISMATCH: {
    status: 403,
    title: 'Certificate name does not match the account',
    ko: '인증서의 이름({certName})이 메일 계정의 이름({accountName})과 정확히 일치하지 않습니다. 띄어쓰기나 글자가 다르면 인식되지 않습니다.',
    en: 'The name in the certificate ({certName}) does not exactly match the account name ({accountName}). A different spelling or a space is not accepted.',
  },
  ERR_AUTH_RETIRED: {
    status: 403,
    title: 'Account retired',
    ko: '퇴직 처리된 계정입니다. 로그인할 수 없습니다. 메일 보관이 필요하면 메일 관리자에게 문의하십시오.',
    en: 'This account belongs to a retired official and cannot sign in. Contact the mail administrator about keeping your mail.',
  },
  ERR_AUTH_ACCOUNT_LOCKED: {
    status: 403,
    title: 'Account locked',
    ko: '잠긴 계정입니다. 소속 기관의 메일 관리자에게 문의하십시오.',
    en: 'This account is locked. Contact your agency mail administrator.',
  },
  ERR_AUTH_SIGNUP_INCOMPLETE: {
    status: 403,
    title: 'Sign-up not completed',
    ko: '아직 가입(인증서 등록)을 마치지 않은 계정입니다. 인사 담당자에게 받은 가입 코드로 먼저 가입하십시오.',
    en: 'This account has not completed sign-up (certificate registration). Sign up first with the code from your HR office.',
  },
  ERR_AUTH_SESSION_REQUIRED: {
    status: 401,
    title: 'Sign-in required',
    ko: '로그인이 필요합니다.',
    en: 'You need to sign in.',
  },
  ERR_AUTH_SESSION_EXPIRED: {
    status: 401,
    title: 'Session expired',
    ko: '로그인 세션이 만료되었거나 종료되었습니다. 다시 로그인하십시오.',
    en: 'Your session has expired or was ended. Please sign in again.',
  },
  ERR_AUTH_CSRF_REFUSED: {
    status: 403,
    title: 'Cross-site request refused',
    ko: '요청의 출처를 확인할 수 없어 거부했습니다. 페이지를 새로 고친 뒤 다시 시도하십시오.',
    en: 'The request was refused because its origin could not be verified. Reload the page and try again.',
  },
  ERR_AUTH_ADMIN_REQUIRED: {
    status: 401,
    title: 'Administrator token required',
    ko: '관리자 토큰이 없거나 올바르지 않습니다.',
    en: 'The administrator token is missing or wrong.',
  },
  ERR_AUTH_CHALLENGE_INVALID: {
    status: 400,
    title: 'Unknown or unusable challenge',
    ko: '로그인 요청(챌린지)이 올바르지 않습니다. 처음부터 다시 시도하십시오.',
    en: 'The sign-in challenge is unknown or cannot be used here. Please start again.',
  },
  ERR_AUTH_CHALLENGE_EXPIRED: {
    status: 400,
    title: 'Challenge expired',
    ko: '로그인 요청(챌린지)의 유효시간(2분)이 지났습니다. 다시 시도하십시오.',
    en: 'The sign-in challenge expired (it is valid for 2 minutes). Please try again.',
  },
  ERR_AUTH_CHALLENGE_REPLAYED: {
    status: 400,
    title: 'Challenge already used',
    ko: '이미 사용된 로그인 요청(챌린지)입니다. 다시 시도하십시오.',
    en: 'This sign-in challenge has already been used. Please try again.',
  },
  ERR_AUTH_ORIGIN_MISMATCH: {
    status: 400,
    title: 'Challenge for another site',
    ko: '서버가 보낸 로그인 요청의 주소({origin})가 접속한 서버({server})와 다릅니다. 서명하지 않았습니다.',
    en: 'The sign-in challenge names another site ({origin}) than the server contacted ({server}). Nothing was signed.',
  },
  ERR_AUTH_CERT_NOT_REGISTERED: {
    status: 403,
    title: 'Certificate not registered',
    ko: '이 인증서는 어떤 메일 계정에도 등록되어 있지 않습니다. 먼저 가입하거나, 갱신한 인증서라면 기존 인증서로 로그인한 뒤 등록하십시오.',
    en: 'This certificate is not registered to any mail account. Sign up first, or, for a renewed certificate, sign in with the old one and register it.',
  },
  ERR_AUTH_CERT_ALREADY_REGISTERED: {
    status: 409,
    title: 'Certificate registered to another account',
    ko: '이 인증서는 이미 다른 메일 계정에 등록되어 있습니다.',
    en: 'This certificate is already registered to another mail account.',
  },
  ERR_AUTH_RATE_LIMITED: {
    status: 429,
    title: 'Too many failed sign-ins',
    ko: '로그인 실패가 너무 많습니다. {retryAfter}초 뒤에 다시 시도하십시오.',
    en: 'Too many failed sign-ins. Try again in {retryAfter} seconds.',
  },
  ERR_AUTH_SIGNUP_TOKEN_INVALID: {
    status: 401,
    title: 'Sign-up step expired',
    ko: '가입 확인 단계가 만료되었거나 이미 사용되었습니다. 아이디와 가입 코드 확인부터 다시 하십시오.',
    en: 'The sign-up verification expired or was already used. Start again from the account ID and sign-up code.',
  },
});
