import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/context.tsx';

type Decode = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' },
) => { data: string } | null;

/** Frames decoded per second at most (jsQR on a 640×480 frame takes a few ms). */
const SCAN_INTERVAL_MS = 150;
/** The same QR seen again by the camera within this time is not decided twice. */
const SAME_CODE_MS = 30_000;

/**
 * Camera scanning: the environment-facing camera into a <video>, frames drawn to a canvas and
 * decoded with jsQR (Apache-2.0, loaded only when the camera is turned on).
 */
export function Camera(props: { readonly onScan: (text: string) => void; readonly onStop: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const onScan = useRef(props.onScan);
  onScan.current = props.onScan;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const recent = new Map<string, number>();
    const canvas = document.createElement('canvas');
    const start = async () => {
      try {
        const [jsqr, media] = await Promise.all([
          import('jsqr'),
          navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
        ]);
        stream = media;
        // jsqr is CommonJS (module.exports = the function); bundlers hand it over as `default`.
        const mod = jsqr as unknown as { default: Decode | { default: Decode } };
        const jsQR: Decode = typeof mod.default === 'function' ? mod.default : mod.default.default;
        if (!live || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        const tick = () => {
          if (!live) return;
          const v = video.current;
          if (v && ctx && v.videoWidth > 0) {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            ctx.drawImage(v, 0, 0);
            const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
            const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
            const now = Date.now();
            if (code?.data && (recent.get(code.data) ?? 0) < now) {
              recent.set(code.data, now + SAME_CODE_MS);
              for (const [k, until] of recent) if (until < now) recent.delete(k);
              onScan.current(code.data);
            }
          }
          timer = setTimeout(tick, SCAN_INTERVAL_MS);
        };
        tick();
      } catch {
        if (live) setFailed(true);
      }
    };
    void start();
    return () => {
      live = false;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  if (failed) {
    return (
      <p className="kiosk-note" role="alert">
        {t('gate.camera.unavailable')}
      </p>
    );
  }
  return (
    <div className="kiosk-camera">
      <video ref={video} muted playsInline aria-label={t('gate.camera.label')} />
      <button type="button" className="button button-secondary" onClick={props.onStop}>
        {t('gate.camera.stop')}
      </button>
    </div>
  );
}
