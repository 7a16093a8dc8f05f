// A request's steps with their times and actors: requested → decided → identity checked → offered
// (install link until …) → issued; or expired / cancelled.
import type { MidRequest, RequestState } from '../../api/mobile-id.ts';
import { useI18n } from '../../i18n/context.tsx';
import { formatDateTime } from '../../ui/datetime.ts';
import { actorText, requestStateKey } from './labels.ts';

const BADGE: Readonly<Record<RequestState, string>> = {
  requested: 'badge badge-info',
  approved: 'badge badge-info',
  offered: 'badge badge-info',
  issued: 'badge badge-ok',
  rejected: 'badge badge-blocked',
  expired: 'badge badge-muted',
  cancelled: 'badge badge-muted',
};

export function RequestStateBadge(props: { readonly state: RequestState }) {
  const { t } = useI18n();
  return <span className={BADGE[props.state]}>{t(requestStateKey(props.state))}</span>;
}

export function RequestTimeline(props: { readonly request: MidRequest }) {
  const { lang, t } = useI18n();
  const r = props.request;
  const at = (iso: string) => formatDateTime(iso, lang);
  const steps: { key: string; text: string }[] = [
    {
      key: 'requested',
      text: t('mid.step.requested', { at: at(r.requestedAt), by: actorText(r.requestedBy, t) }),
    },
  ];
  if (r.decidedAt) {
    const who = r.decidedByEmployee ?? (r.decidedBy ? actorText(r.decidedBy, t) : '');
    steps.push({
      key: 'decided',
      text: t(r.state === 'rejected' ? 'mid.step.rejected' : 'mid.step.approved', {
        at: at(r.decidedAt),
        by: who,
      }),
    });
    if (r.decisionNote) steps.push({ key: 'note', text: t('mid.step.note', { note: r.decisionNote }) });
  }
  if (r.identityCheckedAt)
    steps.push({ key: 'identity', text: t('mid.step.identity', { at: at(r.identityCheckedAt) }) });
  if (r.offeredAt)
    steps.push({
      key: 'offered',
      text: r.offerExpiresAt
        ? t('mid.step.offeredUntil', { at: at(r.offeredAt), until: at(r.offerExpiresAt) })
        : t('mid.step.offered', { at: at(r.offeredAt) }),
    });
  if (r.issuedAt) steps.push({ key: 'issued', text: t('mid.step.issued', { at: at(r.issuedAt) }) });
  if (r.expiredAt) steps.push({ key: 'expired', text: t('mid.step.expired', { at: at(r.expiredAt) }) });
  if (r.cancelledAt)
    steps.push({
      key: 'cancelled',
      text: t('mid.step.cancelled', {
        at: at(r.cancelledAt),
        by: r.cancelledBy ? actorText(r.cancelledBy, t) : '',
      }),
    });
  return (
    <ol className="timeline">
      {steps.map((s) => (
        <li key={s.key}>{s.text}</li>
      ))}
    </ol>
  );
}
