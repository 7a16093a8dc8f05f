import { defineErrors } from '../spec.ts';

/** OpenID4VP with the mobile ID: sign-in requests and the library card verifier. */
export const mobileIdVpErrors = defineErrors({
  ERR_MID_VP_REQUEST_UNKNOWN: {
    status: 404,
    title: 'Unknown presentation request',
    ko: '이 모바일 공무원증 확인 요청을 찾을 수 없습니다. 화면에서 새 QR 코드를 받아 다시 시도하십시오.',
    en: 'This mobile-ID request is unknown. Get a new QR code on the screen and try again.',
  },
  ERR_MID_VP_REQUEST_EXPIRED: {
    status: 410,
    title: 'Presentation request expired',
    ko: '모바일 공무원증 확인 요청의 유효 시간이 지났습니다. 새 QR 코드로 다시 시도하십시오.',
    en: 'The mobile-ID request has expired. Try again with a new QR code.',
  },
  ERR_MID_VP_REQUEST_USED: {
    status: 409,
    title: 'Presentation request already answered',
    ko: '이 요청에는 이미 응답했습니다. 한 요청은 한 번만 쓸 수 있습니다.',
    en: 'This request has already been answered. Each request can be used only once.',
  },
  ERR_MID_VP_TOO_MANY_ATTEMPTS: {
    status: 429,
    title: 'Too many refused answers to one request',
    ko: '이 요청에 거부된 응답이 너무 많습니다. 새 QR 코드로 다시 시도하십시오.',
    en: 'Too many answers to this request were refused. Try again with a new QR code.',
  },
  ERR_MID_VP_RATE_LIMITED: {
    status: 429,
    title: 'Too many presentation requests from this address',
    ko: '이 주소에서 모바일 공무원증 확인 요청이 너무 많습니다. {retryAfter}초 뒤에 다시 시도하십시오.',
    en: 'Too many mobile-ID requests from this address. Try again in {retryAfter} seconds.',
  },
  ERR_MID_VP_CARD_UNKNOWN: {
    status: 403,
    title: 'The presented card is not a live card of this issuer',
    ko: '제시한 모바일 공무원증은 유효한 발급 기록이 없습니다(재발급되었거나 해지됨).',
    en: 'The presented mobile ID has no live issuance record (it was reissued or revoked).',
  },
  ERR_MID_VP_CLAIMS_MISMATCH: {
    status: 403,
    title: 'Disclosed claims do not match the card record',
    ko: '제시된 정보가 발급 기록과 다릅니다. 모바일 공무원증을 재발급받으십시오.',
    en: 'The disclosed details differ from the issuance record. Have the mobile ID reissued.',
  },
  ERR_MID_VP_RETURN_INVALID: {
    status: 400,
    title: 'Return path not allowed',
    ko: '로그인 후 이동할 주소는 이 사이트 안의 경로여야 합니다.',
    en: 'The page to return to after sign-in must be a path on this site.',
  },
});
