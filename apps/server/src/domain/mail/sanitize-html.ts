/**
 * The server-side sanitizer for untrusted mail HTML.
 *
 * DOMPurify does the HTML part, on a jsdom DOM: DOMPurify's README names jsdom as the supported
 * server DOM ("strongly recommend" the latest version) and says happy-dom "is not considered safe";
 * lighter DOMs (linkedom, domino) are not supported at all. The DOM is part of the trusted base,
 * so we take the supported one and pay its start-up cost once per process (the window is reused).
 *
 * What comes out (see also sanitize-css.ts and remote-url.ts):
 * - an allow-list of HTML elements for mail (text, lists, tables, images, links, `<style>`); no
 *   script, no SVG or MathML (removed with their content), no forms, iframes, objects, embeds,
 *   meta, base or link; an allow-list of attributes, and `on*` handlers never;
 * - links only to `http:`, `https:`, `mailto:`, `tel:` or `#fragment`, normalised by the WHATWG URL
 *   parser (so `jav&#x09;ascript:` is seen as `javascript:` and refused), opened with
 *   `target="_blank" rel="noopener noreferrer nofollow"`;
 * - images (`img src`, the legacy `background` attribute, CSS `url()`) only as a resolved `cid:`
 *   (the message's own part, via `cidUrls`), an inline `data:image/(png|gif|jpeg|webp)`, or — when
 *   the reader asked for remote images — a public http(s) URL rewritten through `proxy(url)`;
 *   relative URLs are dropped (in the viewer's iframe they would resolve against our own origin);
 * - every remote load removed (images, `srcset`, CSS `url()` and `@import`, `<link>`, SVG `href`,
 *   `<video poster>`, `<object data>`…) is counted in `blockedRemote` and listed in `remoteUrls`,
 *   so the viewer can offer "show remote images";
 * - the `<head>`'s `<style>` elements and the `<body>`'s colours and styles are kept, moved into
 *   a wrapper `<div>`, since mail relies on them (a `<body background>` image is dropped);
 * - bounded input: at most `maxBytes` (default 2 MiB), `maxElements` (default 100,000) and
 *   `maxDepth` (default 512) levels of nesting; beyond, `ERR_MAIL_HTML_TOO_LARGE` /
 *   `ERR_MAIL_HTML_TOO_DEEP`, and the caller shows the text part instead.
 * The result is meant for a sandboxed iframe under a CSP without scripts (DESIGN.md, Security
 * baseline): this is one layer of two.
 */
import { GongjikError } from '@gongjik/errors';
import createDOMPurify, { type Config, type DOMPurify, type UponSanitizeAttributeHookEvent } from 'dompurify';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parsePublicHttpUrl } from './remote-url.ts';
import { type CssUrlKind, sanitizeStyleAttribute, sanitizeStyleSheet } from './sanitize-css.ts';

export interface SanitizeOptions {
  /** `Content-ID` (with or without `<>`) → URL of that part of the same message. */
  readonly cidUrls?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Load remote images through `proxy`. Default false: remote images are removed and counted. */
  readonly allowRemoteImages?: boolean;
  /** Maps a public http(s) image URL to the proxy URL that serves it. */
  readonly proxy?: (url: string) => string;
  readonly maxBytes?: number;
  readonly maxDepth?: number;
  readonly maxElements?: number;
}

export interface SanitizedHtml {
  readonly html: string;
  /** How many remote loads were removed. */
  readonly blockedRemote: number;
  /** The distinct remote URLs removed (at most 100), for display. */
  readonly remoteUrls: readonly string[];
}

export const DEFAULT_MAX_HTML_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_HTML_DEPTH = 512;
export const DEFAULT_MAX_HTML_ELEMENTS = 100_000;
const MAX_LISTED_URLS = 100;

const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption',
  'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em',
  'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img',
  'ins', 'kbd', 'li', 'main', 'mark', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section',
  'small', 'span', 'strike', 'strong', 'style', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
]; // biome-ignore format: a word list

const ALLOWED_ATTR = [
  'abbr', 'align', 'alt', 'background', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'class',
  'color', 'cols', 'colspan', 'datetime', 'dir', 'face', 'frame', 'headers', 'height', 'href', 'hspace',
  'id', 'lang', 'name', 'nowrap', 'open', 'reversed', 'rowspan', 'rules', 'scope', 'size', 'span', 'src',
  'start', 'style', 'summary', 'title', 'type', 'valign', 'vspace', 'width',
]; // biome-ignore format: a word list

/** Removed with everything inside: their content is not mail text, or not safe to keep. */
const FORBID_CONTENTS = [
  'applet', 'audio', 'button', 'canvas', 'datalist', 'embed', 'frame', 'frameset', 'head', 'iframe',
  'math', 'meter', 'noembed', 'noframes', 'noscript', 'object', 'option', 'plaintext', 'progress', 'script',
  'select', 'svg', 'template', 'textarea', 'title', 'video', 'xmp',
]; // biome-ignore format: a word list

/** Attributes that make a browser fetch something, on any element. */
const LOAD_ATTRIBUTES = [
  'src',
  'srcset',
  'background',
  'poster',
  'data',
  'href',
  'xlink:href',
  'lowsrc',
  'dynsrc',
];
const BACKGROUND_TAGS = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpeg|jpg|webp)(?:;[a-z0-9=.+-]+)*,[a-z0-9+/=%\s._-]*$/i;
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);
/** What DOMPurify treats as ignorable in URL attributes: controls and whitespace. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping controls is the point
const URL_NOISE = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g;

const PURIFY_CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  FORBID_CONTENTS,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: true,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  FORCE_BODY: true,
  WHOLE_DOCUMENT: false,
  USE_PROFILES: false,
};

/** Per-call state the hooks work on; sanitize() is synchronous, so one at a time. */
interface Run {
  readonly cid: Map<string, string>;
  readonly proxy: ((url: string) => string) | null;
  blocked: number;
  readonly urls: Set<string>;
  /** Elements whose load attributes were already counted (a removed element's subtree). */
  readonly counted: WeakSet<object>;
}

let purifier: DOMPurify | null = null;
let window: JSDOM['window'] | null = null;
let active: Run | null = null;

function currentRun(): Run {
  if (active === null) throw new GongjikError('ERR_SERVER_INTERNAL');
  return active;
}

function blockRemote(run: Run, url: string): void {
  run.blocked++;
  if (run.urls.size < MAX_LISTED_URLS) run.urls.add(url.slice(0, 2048));
}

/** The absolute http(s) URL a value points to, or null (protocol-relative counts as https). */
function remoteUrl(value: string): string | null {
  const v = value.replace(URL_NOISE, '');
  const candidate = v.startsWith('//') || v.startsWith('\\\\') ? `https:${v}` : v;
  try {
    const u = new URL(candidate);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function normalizeCid(id: string): string {
  let v = id.trim();
  try {
    v = decodeURIComponent(v);
  } catch {
    // Keep the raw value when it is not valid percent-encoding.
  }
  return v.trim().replace(/^<|>$/g, '');
}

function lookupCid(run: Run, value: string): string | null {
  const v = value.replace(URL_NOISE, '');
  if (!/^cid:/i.test(v)) return null;
  const id = normalizeCid(v.slice(4));
  return run.cid.get(id) ?? run.cid.get(id.toLowerCase()) ?? null;
}

/**
 * What an image reference becomes: the part URL of a cid, an inline data image, the proxy URL of
 * a public remote image when allowed, or null (dropped; counted when it was remote).
 */
function resolveImage(run: Run, value: string, kind: CssUrlKind | 'img' = 'img'): string | null {
  const cid = lookupCid(run, value);
  if (cid !== null) return cid;
  const compact = value.trim();
  if ((kind === 'img' || kind === 'image') && INLINE_IMAGE.test(compact)) return compact;
  const remote = remoteUrl(value);
  if (remote === null) return null;
  if ((kind === 'img' || kind === 'image') && run.proxy !== null && parsePublicHttpUrl(remote) !== null) {
    return run.proxy(remote);
  }
  blockRemote(run, remote);
  return null;
}

function safeLink(value: string): string | null {
  const v = value.trim();
  if (v.startsWith('#')) return /^#[^\s<>"']{0,256}$/.test(v) ? v : null;
  const cleaned = v.replace(URL_NOISE, '');
  try {
    const u = new URL(cleaned.startsWith('//') ? `https:${cleaned}` : cleaned);
    return LINK_PROTOCOLS.has(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** Counts the remote loads of an element that is being removed, and of everything inside it. */
function countRemovedSubtree(run: Run, root: Element): void {
  const elements = [root, ...root.querySelectorAll('*')];
  for (const el of elements) {
    if (run.counted.has(el)) continue;
    run.counted.add(el);
    const tag = el.localName.toLowerCase();
    for (const name of LOAD_ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value === null || (tag === 'a' && name === 'href')) continue;
      if (name === 'srcset') {
        countSrcset(run, value);
      } else {
        const url = remoteUrl(value);
        if (url) blockRemote(run, url);
      }
    }
  }
}

function onElement(node: Node, data: { tagName: string; allowedTags: Record<string, boolean> }): void {
  const run = currentRun();
  if (node.nodeType !== 1) return;
  const el = node as Element;
  const tag = data.tagName;
  if (!data.allowedTags[tag]) {
    // Its children are kept (and visited) unless the element removes its content.
    if (FORBID_CONTENTS.includes(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml') {
      countRemovedSubtree(run, el);
    } else if (!run.counted.has(el)) {
      run.counted.add(el);
      for (const name of LOAD_ATTRIBUTES) {
        const value = el.getAttribute(name);
        const url = value === null || (tag === 'a' && name === 'href') ? null : remoteUrl(value);
        if (url) blockRemote(run, url);
      }
    }
    return;
  }
  if (tag === 'style') {
    const css = sanitizeStyleSheet(el.textContent ?? '', (url, kind) => resolveImage(run, url, kind));
    // An empty sheet goes; DOMPurify sees the node detached and moves on.
    if (css === '') el.remove();
    else el.textContent = css;
  }
}

function onAttribute(node: Element, data: UponSanitizeAttributeHookEvent): void {
  const value = attributeValue(currentRun(), node.localName.toLowerCase(), data.attrName, data.attrValue);
  if (value === null) data.keepAttr = false;
  else data.attrValue = value;
}

/** The value an attribute keeps, or null to drop it; counts the remote loads it drops. */
function attributeValue(run: Run, tag: string, name: string, value: string): string | null {
  if (name.startsWith('on')) return null;
  switch (name) {
    case 'style': {
      const css = sanitizeStyleAttribute(value, (url, kind) => resolveImage(run, url, kind));
      return css === '' ? null : css;
    }
    case 'src':
      if (tag === 'img') return resolveImage(run, value);
      break;
    case 'background':
      if (BACKGROUND_TAGS.has(tag)) return resolveImage(run, value);
      break;
    case 'href':
      return tag === 'a' ? safeLink(value) : null;
    case 'srcset':
      // Never kept: with remote images allowed, the proxied src is enough.
      if (run.proxy === null) countSrcset(run, value);
      return null;
    default:
      if (!LOAD_ATTRIBUTES.includes(name)) return value;
  }
  const url = remoteUrl(value);
  if (url) blockRemote(run, url);
  return null;
}

function countSrcset(run: Run, srcset: string): void {
  for (const part of srcset.split(',')) {
    const url = remoteUrl(part.trim().split(/\s+/)[0] ?? '');
    if (url) blockRemote(run, url);
  }
}

function afterAttributes(node: Element): void {
  if (node.nodeType !== 1) return;
  const tag = node.localName.toLowerCase();
  if (tag === 'a' && node.hasAttribute('href') && !node.getAttribute('href')!.startsWith('#')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
}

function setup(): { purify: DOMPurify; win: JSDOM['window'] } {
  if (purifier === null || window === null) {
    // A silent console: jsdom must not write attacker-controlled CSS errors into our logs.
    window = new JSDOM('', { virtualConsole: new VirtualConsole() }).window;
    purifier = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
    purifier.addHook('uponSanitizeElement', (node, data) => onElement(node, data));
    purifier.addHook('uponSanitizeAttribute', (node, data) => onAttribute(node, data));
    purifier.addHook('afterSanitizeAttributes', (node) => afterAttributes(node as Element));
  }
  return { purify: purifier, win: window };
}

/** Checks nesting depth and element count without recursion. */
function checkShape(root: Element, maxDepth: number, maxElements: number): void {
  let elements = 0;
  const stack: [Element, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [el, depth] = stack.pop()!;
    if (depth > maxDepth) throw new GongjikError('ERR_MAIL_HTML_TOO_DEEP', { maxDepth });
    if (++elements > maxElements) throw new GongjikError('ERR_MAIL_HTML_TOO_LARGE', { maxBytes: 0 });
    for (let c = el.firstElementChild; c !== null; c = c.nextElementSibling) stack.push([c, depth + 1]);
  }
}

const BODY_ATTRIBUTES = ['style', 'bgcolor', 'dir', 'lang', 'class'];

/**
 * Sanitizes untrusted mail HTML for display. Pure with respect to its inputs (no network, no
 * clock); throws `ERR_MAIL_HTML_TOO_LARGE` / `ERR_MAIL_HTML_TOO_DEEP` on oversize input.
 */
export function sanitizeMailHtml(html: string, options: SanitizeOptions = {}): SanitizedHtml {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_HTML_BYTES;
  if (typeof html !== 'string') throw new GongjikError('ERR_INPUT_INVALID', { field: 'html' });
  if (Buffer.byteLength(html, 'utf8') > maxBytes)
    throw new GongjikError('ERR_MAIL_HTML_TOO_LARGE', { maxBytes });
  // The hooks share one run: a proxy callback that sanitizes again would corrupt it.
  if (active !== null) throw new GongjikError('ERR_SERVER_INTERNAL');
  const { purify, win } = setup();

  // Parse once ourselves: to bound the shape, and to keep the head's <style> and the body's colours.
  const doc = new win.DOMParser().parseFromString(html, 'text/html');
  checkShape(
    doc.documentElement,
    options.maxDepth ?? DEFAULT_MAX_HTML_DEPTH,
    options.maxElements ?? DEFAULT_MAX_HTML_ELEMENTS,
  );
  const wrapper = doc.createElement('div');
  for (const name of BODY_ATTRIBUTES) {
    const value = doc.body.getAttribute(name);
    if (value !== null) wrapper.setAttribute(name, value);
  }
  for (const style of doc.head.querySelectorAll('style')) wrapper.append(style);
  wrapper.append(...doc.body.childNodes);

  const cid = new Map<string, string>();
  const entries =
    options.cidUrls instanceof Map ? [...options.cidUrls] : Object.entries(options.cidUrls ?? {});
  for (const [id, url] of entries) {
    // Part URLs come from our own store: only same-origin paths or https are accepted.
    if (typeof url === 'string' && /^(?:\/[^/\\]|https:\/\/)/.test(url)) {
      cid.set(normalizeCid(id), url);
      cid.set(normalizeCid(id).toLowerCase(), url);
    }
  }
  const run: Run = {
    cid,
    proxy: options.allowRemoteImages && options.proxy ? options.proxy : null,
    blocked: 0,
    urls: new Set(),
    counted: new WeakSet(),
  };
  active = run;
  try {
    // The rest of the head (title, meta, base, link) and a body background image are dropped;
    // their remote loads are counted.
    for (const el of doc.head.querySelectorAll('link[href], script[src]')) {
      const url = remoteUrl(el.getAttribute('href') ?? el.getAttribute('src') ?? '');
      if (url) blockRemote(run, url);
    }
    const bodyBackground = doc.body.getAttribute('background');
    const bodyBackgroundUrl = bodyBackground === null ? null : remoteUrl(bodyBackground);
    if (bodyBackgroundUrl !== null) blockRemote(run, bodyBackgroundUrl);
    const input = wrapper.attributes.length > 0 ? wrapper.outerHTML : wrapper.innerHTML;
    const clean = purify.sanitize(input, PURIFY_CONFIG);
    return { html: clean, blockedRemote: run.blocked, remoteUrls: [...run.urls] };
  } finally {
    active = null;
  }
}
