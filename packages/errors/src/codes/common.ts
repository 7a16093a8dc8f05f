import { defineErrors } from '../spec.ts';

export const commonErrors = defineErrors({
  ERR_SERVER_INTERNAL: {
    status: 500,
    smtp: '451 4.3.0',
    title: 'Internal error',
    ko: '처리 중 내부 오류가 발생했습니다. 잠시 후 다시 시도하십시오.',
    en: 'An internal error occurred. Please try again later.',
  },
  ERR_INPUT_INVALID: {
    status: 400,
    smtp: '501 5.5.4',
    title: 'Invalid input',
    ko: '입력값이 올바르지 않습니다: {field}',
    en: 'The input is not valid: {field}',
  },
  ERR_RESOURCE_NOT_FOUND: {
    status: 404,
    title: 'Not found',
    ko: '요청한 항목을 찾을 수 없습니다.',
    en: 'The requested item was not found.',
  },
  ERR_INPUT_TOO_LARGE: {
    status: 413,
    smtp: '552 5.3.4',
    title: 'Input too large',
    ko: '입력이 허용된 크기를 넘습니다.',
    en: 'The input is larger than allowed.',
  },
  ERR_SERVER_UNAVAILABLE: {
    status: 503,
    smtp: '451 4.3.0',
    title: 'Temporarily unavailable',
    ko: '서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도하십시오.',
    en: 'The service is temporarily unavailable. Please try again later.',
  },
  ERR_SERVER_CONFIG_INVALID: {
    status: 500,
    title: 'Invalid server configuration',
    ko: '서버 설정이 올바르지 않습니다: {field} — {problem}',
    en: 'The server configuration is not valid: {field} — {problem}',
  },
});
