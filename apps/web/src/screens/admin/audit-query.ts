// The audit screen's filters → the API query, and the compact details text.
import type { AuditFilters, AuditOutcome } from '../../api/admin.ts';
import { koreanDayEnd, koreanDayStart } from '../../ui/datetime.ts';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface AuditForm {
  action: string;
  actor: string;
  target: string;
  outcome: '' | AuditOutcome;
  from: string;
  to: string;
  limit: string;
}

/** The typed filters → the API's query (dates are Korean calendar days, `to` inclusive). */
export function auditQuery(form: AuditForm): AuditFilters {
  return {
    action: form.action.trim() || undefined,
    actor: form.actor.trim() || undefined,
    target: form.target.trim() || undefined,
    outcome: form.outcome || undefined,
    from: form.from ? koreanDayStart(form.from) : undefined,
    to: form.to ? koreanDayEnd(form.to) : undefined,
    limit: Number(form.limit) || 50,
  };
}

export const INITIAL_AUDIT_FORM: AuditForm = {
  action: '',
  actor: '',
  target: '',
  outcome: '',
  from: '',
  to: '',
  limit: '50',
};

/** The entry's safe details, compact (`key: value, …`), cut at 400 characters. */
export function detailsText(details: Readonly<Record<string, unknown>>): string {
  const text = Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
