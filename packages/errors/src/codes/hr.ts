import { defineErrors } from '../spec.ts';

/** The HR integration API (e-사람, 차세대 인사랑). */
export const hrErrors = defineErrors({
  ERR_HR_API_KEY_INVALID: {
    status: 401,
    title: 'HR API key missing or invalid',
    ko: '인사 연계 API 키가 없거나 올바르지 않습니다.',
    en: 'The HR integration API key is missing or invalid.',
  },
  ERR_HR_IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    title: 'Idempotency-Key reused for another request',
    ko: '같은 Idempotency-Key가 다른 요청에 이미 사용되었습니다.',
    en: 'The same Idempotency-Key was already used for a different request.',
  },
});
