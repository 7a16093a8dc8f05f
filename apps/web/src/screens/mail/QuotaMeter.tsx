import { useI18n } from '../../i18n/context.tsx';
import type { Quota } from './api.ts';
import { formatBytes } from './format.ts';

/** How much of the mailbox quota is used (a <meter>, with the numbers as text). */
export function QuotaMeter(props: { readonly quota: Quota | null }) {
  const { t } = useI18n();
  const q = props.quota;
  if (!q) return null;
  const total = Math.max(q.quotaBytes, 1);
  const used = Math.min(q.usedBytes, total);
  const percent = Math.min(100, Math.round((q.usedBytes / total) * 1000) / 10);
  return (
    <div className="quota">
      <span className="quota-label" id="quota-label">
        {t('mail.quota.label')}
      </span>
      <meter
        className="quota-meter"
        min={0}
        max={total}
        low={total * 0.8}
        high={total * 0.95}
        optimum={0}
        value={used}
        aria-labelledby="quota-label"
        aria-describedby="quota-value"
      />
      <span className="quota-value" id="quota-value">
        {t('mail.quota.value', {
          used: formatBytes(q.usedBytes),
          total: formatBytes(q.quotaBytes),
          percent,
        })}
      </span>
    </div>
  );
}
