import { type ErrorCode, isErrorCode, specOf } from './registry.ts';

export type Lang = 'ko' | 'en';

/** Safe, user-presentable facts about an error: never secrets, never raw untrusted input. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** The one base error of Gongjik. `code` is stable; tests assert on it, never on message text. */
export class GongjikError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(formatMessage(code, 'en', details), options);
    this.name = 'GongjikError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return specOf(this.code).status;
  }

  localized(lang: Lang): string {
    return formatMessage(this.code, lang, this.details);
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Fills `{placeholders}` of a code's message from details; unknown placeholders stay visible. */
export function formatMessage(code: ErrorCode, lang: Lang, details: ErrorDetails = {}): string {
  const template = specOf(code)[lang];
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined || value === null) return whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

export function isGongjikError(err: unknown, code?: ErrorCode): err is GongjikError {
  return err instanceof GongjikError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a GongjikError (unknown errors become ERR_SERVER_INTERNAL, keeping the cause). */
export function toGongjikError(err: unknown): GongjikError {
  if (err instanceof GongjikError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && isErrorCode(code)) return new GongjikError(code, {}, { cause: err });
  return new GongjikError('ERR_SERVER_INTERNAL', {}, { cause: err });
}
