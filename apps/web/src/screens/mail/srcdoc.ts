// The document a message is shown in: `<iframe sandbox srcdoc>` with its own Content-Security-Policy
// (no scripts, no remote loads; inline styles only), around the HTML the server sanitized. The
// sandbox (no allow-scripts) stops scripts a second time; this policy also stops every request the
// mail might make (images, fonts, CSS @import, prefetch) except, after "show images", images from
// the server's own image proxy.
//
// A srcdoc document inherits the app's own policy too (`style-src 'self'`: no inline styles), so the
// mail's styles cannot be inline in the srcdoc. The page takes them out first (style-split.ts: the
// style attributes become `data-gj-style`, <style> blocks are collected) and applies them through
// the CSSOM after the frame loaded — which no CSP governs, while every load the CSS might ask for
// (url(), @import, fonts) still meets the frame's policy and is refused.

/**
 * The policy of the message frame. Images: data: URLs; after "show images" (`images`), also the
 * server's image proxy and this message's own attachments (cid: images), at the app's `origin`.
 */
export function messageCsp(options: { origin: string; messageId: string; images: boolean }): string {
  const own = `${options.origin}/api/v1/messages/${encodeURIComponent(options.messageId)}/attachments/`;
  const img = options.images ? `data: ${options.origin}/api/v1/proxy/image ${own}` : 'data:';
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src ${img}`,
    "font-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Base styles of the message frame (readable defaults; the mail's own styles come after). */
export const FRAME_STYLE = [
  'html{color-scheme:light}',
  'body{margin:0;padding:12px 16px;font:16px/1.6 "Pretendard","Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR","NanumGothic",system-ui,sans-serif;color:#1b1f24;background:#fff;word-break:keep-all;overflow-wrap:anywhere}',
  'img{max-width:100%;height:auto}',
  'table{max-width:100%}',
  'pre.gongjik-text{white-space:pre-wrap;font:inherit;margin:0}',
  'a{color:#0b3d91}',
].join('');

export interface MessageDocument {
  /** the server-sanitized HTML without inline styles (style-split.ts), or null for a plain-text message */
  readonly html: string | null;
  /** the text part (shown, escaped, when there is no HTML) */
  readonly text: string | null;
  /** the app's origin */
  readonly origin: string;
  readonly messageId: string;
  /** the reader asked to see images */
  readonly images: boolean;
  /** the document language (lang attribute) */
  readonly lang: string;
}

/**
 * The srcdoc of the message frame. The CSP meta comes first in <head>, before anything of the mail,
 * so it governs everything that follows. Links open outside the frame (target=_blank, no referrer).
 */
export function buildSrcdoc(doc: MessageDocument): string {
  const body = doc.html !== null ? doc.html : `<pre class="gongjik-text">${escapeHtml(doc.text ?? '')}</pre>`;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(doc.lang)}"><head>`,
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(messageCsp(doc))}">`,
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    '<base target="_blank">',
    '</head><body>',
    body,
    '</body></html>',
  ].join('');
}

/** The sandbox of the message frame: no scripts, no forms, no top navigation; links may open tabs. */
export const MESSAGE_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox allow-same-origin';
