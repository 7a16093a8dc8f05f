export { renderErrorsMarkdown } from './doc.ts';
export {
  type ErrorDetails,
  formatMessage,
  GongjikError,
  isGongjikError,
  type Lang,
  toGongjikError,
} from './error.ts';
export { type ErrorCode, isErrorCode, registry, smtpReplyOf, specOf } from './registry.ts';
export { defineErrors, type ErrorSpec, type ErrorTable } from './spec.ts';
