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
  ERR_MAIL_MESSAGE_TOO_LARGE: {
    status: 413,
    smtp: '552 5.3.4',
    title: 'Message too large',
    ko: '메일 전체 크기가 허용된 크기({maxBytes}바이트)를 넘습니다.',
    en: 'The whole message is larger than allowed ({maxBytes} bytes).',
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
  ERR_MAIL_UPLOAD_INVALID: {
    status: 400,
    title: 'Invalid upload',
    ko: '첨부파일 업로드가 올바르지 않습니다 ({reason}).',
    en: 'The attachment upload is not valid ({reason}).',
  },
});
