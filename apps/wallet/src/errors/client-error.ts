import type { MessageVars } from '../i18n/format.ts';
import type { MessageKey } from '../i18n/ko.ts';

/** A refusal decided in the browser (not a registry code): shown with the app's own message. */
export class ClientError extends Error {
  readonly key: MessageKey;
  readonly vars: MessageVars;

  constructor(key: MessageKey, vars: MessageVars = {}) {
    super(key);
    this.name = 'ClientError';
    this.key = key;
    this.vars = vars;
  }
}
