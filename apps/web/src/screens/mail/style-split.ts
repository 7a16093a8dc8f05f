// Takes the styles out of the sanitized mail HTML so the srcdoc holds none inline (see srcdoc.ts),
// and puts them back through the CSSOM once the frame has loaded. Runs in the browser: DOMParser
// documents are inert (no scripts, no loads).
import { FRAME_STYLE } from './srcdoc.ts';

const ATTR = 'data-gj-style';

export interface SplitHtml {
  /** the HTML with `style` attributes renamed to data-gj-style and <style> elements removed */
  readonly html: string;
  /** the text of the removed <style> elements, in order */
  readonly css: readonly string[];
}

export function splitStyles(html: string): SplitHtml {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  // A data-gj-style the mail brought itself was never seen by the server's CSS sanitizer: dropped.
  for (const el of doc.querySelectorAll(`[${ATTR}]`)) el.removeAttribute(ATTR);
  for (const el of doc.querySelectorAll('[style]')) {
    el.setAttribute(ATTR, el.getAttribute('style') ?? '');
    el.removeAttribute('style');
  }
  const css: string[] = [];
  for (const el of doc.querySelectorAll('style')) {
    css.push(el.textContent ?? '');
    el.remove();
  }
  const head = [...doc.head.childNodes].map((n) => (n instanceof Element ? n.outerHTML : '')).join('');
  return { html: head + doc.body.innerHTML, css };
}

/** Applies the frame's base style, the mail's style sheets and its style attributes (CSSOM only). */
export function applyStyles(frame: HTMLIFrameElement, css: readonly string[]): void {
  const win = frame.contentWindow as (Window & typeof globalThis) | null;
  const doc = frame.contentDocument;
  if (!win || !doc) return;
  const sheets: CSSStyleSheet[] = [];
  for (const text of [FRAME_STYLE, ...css]) {
    const sheet = new win.CSSStyleSheet();
    try {
      // replaceSync ignores @import rules: nothing is fetched.
      sheet.replaceSync(text);
    } catch {
      continue;
    }
    sheets.push(sheet);
  }
  doc.adoptedStyleSheets = sheets;
  for (const el of doc.querySelectorAll<HTMLElement>(`[${ATTR}]`)) {
    el.style.cssText = el.getAttribute(ATTR) ?? '';
  }
}
