// Catalog keys for the mobile-ID enumerations (shared by the portal's HR screens and the
// holder/head screens).
import type { CardState, RequestState, SmsState } from '../../api/mobile-id.ts';
import type { MessageKey } from '../../i18n/ko.ts';

export const requestStateKey = (state: RequestState): MessageKey => `mid.requestState.${state}`;
export const cardStateKey = (state: CardState): MessageKey => `mid.cardState.${state}`;
export const smsStateKey = (state: SmsState): MessageKey => `mid.smsState.${state}`;

const REASONS = new Set(['new', 'phone-change', 'app-deleted', 'pin-locked', 'lost', 'hr-change', 'other']);
/** A request's reason; an unknown one reads "other". */
export const reasonKey = (reason: string): MessageKey =>
  (REASONS.has(reason) ? `mid.reason.${reason}` : 'mid.reason.other') as MessageKey;

/** Who did it, in words: `admin:…` → administrator, `hr:…` → HR system, `person:E1` → the person. */
export function actorText(
  actor: string,
  t: (key: MessageKey, vars?: Record<string, string>) => string,
): string {
  if (actor.startsWith('admin')) return t('mid.actor.admin');
  if (actor.startsWith('hr:')) return t('mid.actor.hr', { system: actor.split(':')[1] ?? '' });
  if (actor.startsWith('system')) return t('mid.actor.system');
  if (actor === 'wallet') return t('mid.actor.wallet');
  return actor;
}
