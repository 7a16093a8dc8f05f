import { defineErrors } from '../spec.ts';

/** Mail: composing and sending, addresses and headers, HTML display, search. */
export const mailErrors = defineErrors({
  ERR_MAIL_HEADER_INJECTION: {
    status: 400,
    smtp: '554 5.6.0',
    title: 'Line break in a mail header',
    ko: '{field} 값에 줄바꿈이나 제어 문자가 들어 있어 보낼 수 없습니다.',
    en: 'The {field} value contains a line break or control character and cannot be sent.',
  },
  ERR_MAIL_HEADER_INVALID: {
    status: 400,
    smtp: '554 5.6.0',
    title: 'Invalid mail header',
    ko: '{field} 값이 올바르지 않습니다 ({reason}).',
    en: 'The {field} value is not valid ({reason}).',
  },
  ERR_MAIL_ADDRESS_INVALID: {
    status: 400,
    smtp: '553 5.1.3',
    title: 'Invalid e-mail address',
    ko: '{field}의 전자우편 주소가 올바르지 않습니다 ({reason}).',
    en: 'The e-mail address in {field} is not valid ({reason}).',
  },
  ERR_MAIL_NO_RECIPIENTS: {
    status: 400,
    smtp: '554 5.5.1',
    title: 'No recipients',
    ko: '받는 사람을 한 명 이상 지정하십시오.',
    en: 'Give at least one recipient.',
  },
  ERR_MAIL_TOO_MANY_RECIPIENTS: {
    status: 400,
    smtp: '452 4.5.3',
    title: 'Too many recipients',
    ko: '받는 사람은 한 번에 {max}명까지 지정할 수 있습니다.',
    en: 'A message can have at most {max} recipients.',
  },
  ERR_MAIL_HTML_TOO_LARGE: {
    status: 413,
    title: 'Message HTML too large to display',
    ko: '메일 본문(HTML)이 너무 커서 안전하게 표시할 수 없습니다 (최대 {maxBytes}바이트). 텍스트 본문으로 표시합니다.',
    en: 'The HTML body is too large to display safely (at most {maxBytes} bytes). The plain-text body is shown instead.',
  },
  ERR_MAIL_HTML_TOO_DEEP: {
    status: 422,
    title: 'Message HTML nested too deeply',
    ko: '메일 본문(HTML)의 중첩이 너무 깊어 안전하게 표시할 수 없습니다 (최대 {maxDepth}단계). 텍스트 본문으로 표시합니다.',
    en: 'The HTML body is nested too deeply to display safely (at most {maxDepth} levels). The plain-text body is shown instead.',
  },
  ERR_MAIL_REMOTE_ADDRESS_REFUSED: {
    status: 403,
    title: 'Remote content address refused',
    ko: '외부 콘텐츠 주소가 내부망 또는 허용되지 않은 주소를 가리켜 불러오지 않았습니다.',
    en: 'The remote content points to an internal or otherwise disallowed address and was not loaded.',
  },
  ERR_MAIL_SEARCH_QUERY_INVALID: {
    status: 400,
    title: 'Invalid search query',
    ko: '검색어가 올바르지 않습니다 ({reason}).',
    en: 'The search query is not valid ({reason}).',
  },
});
