import { defineErrors } from '../spec.ts';

/** Electronic signatures: requests from work systems, mobile-ID signature bundles, GPKI CMS. */
export const signatureErrors = defineErrors({
  ERR_SIGN_DOCUMENT_CHANGED: {
    status: 422,
    title: 'The document is not the signed one',
    ko: '서명된 문서와 내용이 다릅니다. 서명 후 문서가 변경되었습니다.',
    en: 'The document differs from the signed one: it was changed after signing.',
  },
  ERR_SIGN_BUNDLE_TAMPERED: {
    status: 422,
    title: 'Signature bundle altered or malformed',
    ko: '서명 파일이 변조되었거나 형식이 올바르지 않습니다 ({part}).',
    en: 'The signature file was altered or is malformed ({part}).',
  },
  ERR_SIGN_ISSUER_UNKNOWN: {
    status: 422,
    title: 'Signer credential from an unknown issuer',
    ko: '신뢰하는 발급기관이 발급한 공무원증으로 서명되지 않았습니다.',
    en: 'The signature was not made with an ID issued by a trusted issuer.',
  },
  ERR_SIGN_CARD_NOT_VALID: {
    status: 422,
    title: 'Card not valid at signing time',
    ko: '서명 시점에 서명자의 공무원증이 유효하지 않았습니다 (상태: {status}).',
    en: "The signer's ID was not valid at signing time (status: {status}).",
  },
  ERR_SIGN_STATUS_EVIDENCE_INVALID: {
    status: 422,
    title: 'Status evidence missing or not signed by the issuer',
    ko: '서명 시점의 공무원증 상태 증거가 없거나 발급기관이 서명한 것이 아닙니다.',
    en: "The evidence of the ID's status at signing time is missing or not signed by the issuer.",
  },
  ERR_SIGN_STATUS_EVIDENCE_STALE: {
    status: 422,
    title: 'Status evidence not current at signing time',
    ko: '상태 증거가 서명 시점에 이미 만료되었거나 오래된 것입니다.',
    en: 'The status evidence had expired or was out of date at signing time.',
  },
  ERR_SIGN_TIME_INVALID: {
    status: 422,
    title: 'Signing time in the future',
    ko: '서명 시각이 현재보다 미래입니다.',
    en: 'The signing time lies in the future.',
  },
  ERR_SIGN_REQUEST_NOT_FOUND: {
    status: 404,
    title: 'Signature request not found',
    ko: '서명 요청을 찾을 수 없습니다.',
    en: 'The signature request was not found.',
  },
  ERR_SIGN_REQUEST_EXPIRED: {
    status: 410,
    title: 'Signature request expired',
    ko: '서명 요청의 유효 시간이 지났습니다. 업무 시스템에서 다시 요청하세요.',
    en: 'The signature request has expired. Ask again from the work system.',
  },
  ERR_SIGN_REQUEST_ANSWERED: {
    status: 409,
    title: 'Signature request already answered',
    ko: '이미 처리된 서명 요청입니다 (상태: {state}).',
    en: 'The signature request was already answered (state: {state}).',
  },
  ERR_SIGN_REQUEST_NOT_YOURS: {
    status: 403,
    title: 'Signature request addressed to another person',
    ko: '다른 사람에게 온 서명 요청입니다.',
    en: 'The signature request is addressed to another person.',
  },
  ERR_SIGN_REQUEST_MISMATCH: {
    status: 422,
    title: 'Signature does not answer this request',
    ko: '서명이 요청된 문서(제목·해시·요청 번호·요청 시스템)와 일치하지 않습니다 ({part}).',
    en: 'The signature does not match the request (title, hash, request id or requester): {part}.',
  },
  ERR_SIGN_PIN_NOT_FRESH: {
    status: 422,
    title: 'PIN not confirmed for this signature',
    ko: '서명하려면 방금 PIN을 입력해 확인해야 합니다.',
    en: 'The PIN must be confirmed just before signing.',
  },
  ERR_SIGN_CLIENT_UNAUTHORIZED: {
    status: 401,
    title: 'Work system not authenticated',
    ko: '등록된 업무 시스템의 client_id와 client_secret(HTTP Basic)이 필요합니다.',
    en: 'A registered work system client_id and client_secret (HTTP Basic) are required.',
  },
  ERR_SIGN_SIGNER_UNAVAILABLE: {
    status: 422,
    title: 'The person cannot sign with the mobile ID',
    ko: '이 사람에게는 사용 중인 모바일 공무원증이 없습니다.',
    en: 'This person has no mobile ID in use.',
  },
  ERR_SIGN_CERT_UNTRUSTED: {
    status: 422,
    title: 'Signer certificate not trusted',
    ko: '서명자 인증서를 신뢰할 수 없습니다 ({reason}).',
    en: "The signer's certificate is not trusted ({reason}).",
  },
  ERR_SIGN_CALLBACK_INVALID: {
    status: 400,
    title: 'Callback URL not allowed',
    ko: '콜백 주소는 이 업무 시스템에 등록된 리디렉션 주소와 같은 출처(origin)여야 합니다.',
    en: "The callback URL must have the origin of one of this work system's registered redirect URIs.",
  },
  ERR_SIGN_FILE_UNKNOWN: {
    status: 400,
    title: 'Not a signature file',
    ko: '서명 파일(.gjsig.json 또는 .p7s)이 아닙니다.',
    en: 'This is not a signature file (.gjsig.json or .p7s).',
  },
});
