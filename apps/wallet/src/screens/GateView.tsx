import { useEffect, useState } from 'react';
import type { GateGroup } from '../app/config.ts';
import { useServices } from '../app/service-context.tsx';
import { useI18n } from '../i18n/context.tsx';
import { GATE_REFRESH_SECONDS, gateQrClock } from '../qr/gate-clock.ts';
import { qrPath } from '../qr/qr-svg.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { ScreenHeading } from '../ui/ScreenHeading.tsx';

/**
 * The gate QR: a fresh device-signed presentation (gate-group audience, new nonce) every 20 s, with a
 * countdown; gates accept a proof for 30 s after it was made.
 */
export function GateView(props: { readonly groups: readonly GateGroup[]; readonly onBack: () => void }) {
  const { t } = useI18n();
  const { wallet } = useServices();
  const [group, setGroup] = useState(props.groups[0]!);
  const [qr, setQr] = useState<string | null>(null);
  const [left, setLeft] = useState(GATE_REFRESH_SECONDS);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    let madeAt = 0;
    let busy = false;
    const make = async () => {
      if (busy) return;
      busy = true;
      try {
        const text = await wallet.gateQr(group.id);
        if (!live) return;
        madeAt = Date.now();
        setQr(text);
        setError(null);
        setLeft(GATE_REFRESH_SECONDS);
      } catch (err) {
        if (live) {
          setQr(null);
          setError(err);
        }
      } finally {
        busy = false;
      }
    };
    // The age is measured on the clock, not by counting timer ticks: a phone asleep or a tab in
    // the background throttles timers, and a QR shown after that must never be older than 30 s.
    const tick = () => {
      if (madeAt === 0) return;
      const next = gateQrClock(madeAt, Date.now());
      if (next.refresh) void make();
      else setLeft(next.secondsLeft);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') tick();
    };
    void make();
    const ticker = setInterval(tick, 1000);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      clearInterval(ticker);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [wallet, group]);

  const path = qr ? qrPath(qr) : null;
  return (
    <div className="stack">
      <ScreenHeading>{t('gate.title')}</ScreenHeading>
      <p className="lead">{t('gate.lead')}</p>
      {props.groups.length > 1 ? (
        <div className="field">
          <label htmlFor="gate-group">{t('gate.group')}</label>
          <select
            id="gate-group"
            value={group.id}
            onChange={(e) => setGroup(props.groups.find((g) => g.id === e.target.value) ?? group)}
          >
            {props.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {path && qr ? (
        <>
          <div className="qr-frame">
            <svg
              viewBox={`0 0 ${path.size} ${path.size}`}
              role="img"
              aria-label={t('gate.qr', { group: group.name })}
              data-testid="gate-qr"
              data-version={path.version}
              shapeRendering="crispEdges"
            >
              <rect fill="#fff" width={path.size} height={path.size} />
              <path fill="#000" d={path.d} />
            </svg>
          </div>
          <p className="countdown" aria-live="off">
            {t('gate.refresh', { seconds: left })}
          </p>
        </>
      ) : null}
      <button type="button" className="button button-secondary" onClick={props.onBack}>
        {t('gate.back')}
      </button>
    </div>
  );
}
