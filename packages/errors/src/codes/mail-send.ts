import { defineErrors } from '../spec.ts';

/** Mail sending: compose, attachments, the outbound queue, recall, export, the image proxy. */
export const mailSendErrors = defineErrors({
  ERR_MAIL_TOO_MANY_ATTACHMENTS: {
    status: 400,
    title: 'Too many attachments',
    ko: '첨부파일은 한 메일에 {max}개까지 붙일 수 있습니다.',
    en: 'A message can have at most {max} attachments.',
  },
  ERR_MAIL_ATTACHMENT_TOO_LARGE: {
    status: 413,
    smtp: '552 5.3.4',
    title: 'Attachment too large',
    ko: '첨부파일이 허용된 크기({maxBytes}바이트)를 넘습니다.',
    en: 'The attachment is larger than allowed ({maxBytes} bytes).',
  },
  ERR_MAIL_ACCOUNT_READ_ONLY: {
    status: 403,
    title: 'Mailbox is read-only',
    ko: '이 계정의 메일함은 읽기 전용입니다. 메일을 보내거나 바꿀 수 없습니다.',
    en: 'This mailbox is read-only: mail cannot be sent or changed.',
  },
  ERR_MAIL_NOT_RECALLABLE: {
    status: 409,
    title: 'Message cannot be recalled',
    ko: '이 메일은 발송취소할 수 없습니다 ({reason}).',
    en: 'This message cannot be recalled ({reason}).',
  },
  ERR_MAIL_EXPORT_NOT_ALLOWED: {
    status: 403,
    title: 'Export not allowed',
    ko: '이 계정의 메일함은 내보낼 수 없습니다.',
    en: 'This mailbox cannot be exported.',
  },
  ERR_MAIL_EXPORT_NOT_READY: {
    status: 409,
    title: 'Export not ready',
    ko: '내보내기가 아직 끝나지 않았습니다 ({state}).',
    en: 'The export has not finished yet ({state}).',
  },
  ERR_MAIL_EXPORT_BUSY: {
    status: 409,
    title: 'Export already running',
    ko: '이미 진행 중인 내보내기가 있습니다. 끝난 뒤 다시 시도하십시오.',
    en: 'An export is already running. Try again when it has finished.',
  },
  ERR_MAIL_PROXY_FETCH_FAILED: {
    status: 502,
    title: 'Remote image unavailable',
    ko: '원격 이미지를 가져올 수 없습니다 ({reason}).',
    en: 'The remote image could not be fetched ({reason}).',
  },
  ERR_MAIL_RECIPIENT_UNKNOWN: {
    status: 400,
    smtp: '550 5.1.1',
    title: 'Unknown recipient',
    ko: '{field}의 받는 사람은 이 기관의 메일 계정이 아니거나 메일을 받을 수 없는 계정입니다.',
    en: 'The recipient in {field} is not a mail account here, or cannot receive mail.',
  },
  ERR_MAIL_ATTACHMENT_NOT_FOUND: {
    status: 404,
    title: 'Attachment not found',
    ko: '첨부파일을 찾을 수 없습니다.',
    en: 'The attachment was not found.',
  },
  ERR_MAIL_DRAFT_NOT_FOUND: {
    status: 404,
    title: 'Draft not found',
    ko: '임시보관 메일을 찾을 수 없습니다.',
    en: 'The draft was not found.',
  },
  ERR_MAIL_DRAFT_CONFLICT: {
    status: 409,
    title: 'Draft changed elsewhere',
    ko: '임시보관 메일이 다른 창에서 바뀌었습니다. 새로 불러온 뒤 다시 저장하십시오.',
    en: 'The draft was changed elsewhere. Reload it and save again.',
  },
  ERR_MAIL_UPLOAD_INVALID: {
    status: 400,
    title: 'Invalid upload',
    ko: '첨부파일 업로드가 올바르지 않습니다 ({reason}).',
    en: 'The attachment upload is not valid ({reason}).',
  },
});
