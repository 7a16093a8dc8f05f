import { useI18n } from '../i18n/context.tsx';
import type { KnownStatus } from '../status/status.ts';
import { formatWhen } from '../ui/format.ts';

/**
 * The live status of the card: VALID / SUSPENDED / INVALID from the published status list, with the
 * time it was checked; offline it says that this is the last known status.
 */
export function StatusIndicator(props: {
  readonly status: KnownStatus | null;
  readonly checking: boolean;
  readonly online: boolean;
  readonly onRefresh: () => void;
}) {
  const { t, lang } = useI18n();
  const state = props.status?.state ?? 'unknown';
  const time = props.status ? formatWhen(props.status.checkedAt, lang) : null;
  return (
    <div className="status-row">
      <span
        className="status-live"
        role="status"
        aria-atomic="true"
        data-testid="card-status"
        data-state={state}
      >
        <span className="visually-hidden">{t('status.label')}:</span>
        <span className="status-pill" data-state={state}>
          <span className="status-dot" aria-hidden="true" />
          {t(`status.${state}`)}
        </span>
        <span className="status-time" data-offline={props.online ? undefined : 'true'}>
          {props.checking
            ? t('status.checking')
            : time === null
              ? t('status.neverChecked')
              : props.online
                ? t('status.checkedAt', { time })
                : t('status.offline', { time })}
        </span>
      </span>
      <button type="button" className="icon-button" onClick={props.onRefresh} disabled={props.checking}>
        {t('status.refresh')}
      </button>
    </div>
  );
}
