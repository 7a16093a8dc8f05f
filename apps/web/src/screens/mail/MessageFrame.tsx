// The message body in `<iframe sandbox srcdoc>` under the frame's own CSP (see srcdoc.ts). The frame
// grows to its content's height, so the page has one scroll bar. The sandbox keeps the same origin
// (without allow-scripts nothing runs in the frame) so the page can apply the mail's styles through
// the CSSOM and measure the content.
import { useEffect, useMemo, useRef } from 'react';
import { buildSrcdoc, MESSAGE_SANDBOX } from './srcdoc.ts';
import { applyStyles, splitStyles } from './style-split.ts';

export function MessageFrame(props: {
  readonly messageId: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly images: boolean;
  readonly lang: string;
  readonly title: string;
}) {
  const ref = useRef<HTMLIFrameElement>(null);
  const split = useMemo(() => (props.html === null ? null : splitStyles(props.html)), [props.html]);
  const srcdoc = useMemo(
    () =>
      buildSrcdoc({
        html: split?.html ?? null,
        text: props.text,
        origin: window.location.origin,
        messageId: props.messageId,
        images: props.images,
        lang: props.lang,
      }),
    [split, props.text, props.messageId, props.images, props.lang],
  );
  const css = split?.css ?? [];
  const cssRef = useRef(css);
  cssRef.current = css;
  useEffect(() => {
    const frame = ref.current;
    if (!frame) return;
    let observer: ResizeObserver | null = null;
    const fit = () => {
      const doc = frame.contentDocument;
      if (!doc?.documentElement) return;
      const height = Math.max(doc.documentElement.scrollHeight, doc.body?.scrollHeight ?? 0);
      frame.style.height = `${Math.min(Math.max(height, 80), 200_000)}px`;
    };
    const onLoad = () => {
      applyStyles(frame, cssRef.current);
      fit();
      observer?.disconnect();
      const body = frame.contentDocument?.body;
      if (body) {
        observer = new ResizeObserver(fit);
        observer.observe(body);
      }
    };
    frame.addEventListener('load', onLoad);
    return () => {
      frame.removeEventListener('load', onLoad);
      observer?.disconnect();
    };
  }, []);
  return (
    <iframe
      ref={ref}
      className="message-frame"
      title={props.title}
      sandbox={MESSAGE_SANDBOX}
      srcDoc={srcdoc}
      referrerPolicy="no-referrer"
    />
  );
}
