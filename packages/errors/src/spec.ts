/** How one stable error code presents itself to people and to protocols. */
export interface ErrorSpec {
  /** HTTP status used by the HTTP layer's problem+json answer. */
  readonly status: number;
  /** Full SMTP reply (code + enhanced status), for errors that can surface in an SMTP dialogue. */
  readonly smtp?: string;
  /** Short title in English (problem+json `title`). */
  readonly title: string;
  /**
   * User messages. `{name}` placeholders are filled from the error's safe `details`;
   * both languages must use the same placeholders.
   */
  readonly ko: string;
  readonly en: string;
}

export type ErrorTable = Readonly<Record<string, ErrorSpec>>;

/** Declares a table of codes, keeping the literal keys for the `ErrorCode` union. */
export function defineErrors<const T extends Record<`ERR_${string}`, ErrorSpec>>(table: T): T {
  return table;
}
