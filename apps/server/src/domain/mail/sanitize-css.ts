/**
 * CSS filtering for untrusted mail: `style` attributes and `<style>` elements.
 *
 * CSS is parsed with css-tree (a CSS Syntax Level 3 tokenizer and parser, so escapes such as
 * `\75 rl(` and comments cannot hide anything from us) and rebuilt from the parts we allow:
 * - **properties** from an allow-list of typography, colour, box and table properties; everything
 *   else (`behavior`, `-moz-binding`, `filter`, `cursor`, `content`, custom properties, `z-index`,
 *   `top/left/…`, `transform`, `clip-path`, `mask`…) is dropped; `position` only as `static` or
 *   `relative`, so nothing can be laid over the reader's screen (`fixed`/`absolute`/`sticky`);
 * - **functions** from an allow-list (colours, `calc`, gradients); `expression()`, `image-set()`,
 *   `var()`, `attr()`, `element()` and any unknown function drop the declaration;
 * - **url()** only in image properties (`background`, `background-image`, `list-style(-image)`),
 *   and only when the caller's `resolveUrl` returns a replacement (a resolved `cid:`, an inline
 *   `data:image/…`, or a proxied remote image); any other url() drops the declaration;
 * - a declaration the parser could not fully understand (a `Raw` value) is dropped;
 * - in style sheets only plain rules and `@media` blocks survive: `@import`, `@font-face`,
 *   `@namespace`, `@keyframes`, `@charset`, `@supports`, `@layer`… are dropped;
 * - `<` is written as the escape `\3c ` so the result can never close a `<style>` element.
 * `resolveUrl` also sees the URLs of everything dropped (with `kind` 'import', 'font' or
 * 'other'), so the HTML sanitizer can count the remote loads it blocked.
 */
import * as csstree from 'css-tree';

export type CssUrlKind = 'image' | 'import' | 'font' | 'other';
/** Returns the URL to write instead (e.g. resolved cid or proxy URL), or null to drop it. */
export type CssUrlResolver = (url: string, kind: CssUrlKind) => string | null;

export const MAX_STYLE_ATTRIBUTE_LENGTH = 32 * 1024;
export const MAX_STYLE_SHEET_LENGTH = 256 * 1024;
const MAX_RULES = 5000;

const BOX = ['margin', 'padding'].flatMap((p) => [p, `${p}-top`, `${p}-right`, `${p}-bottom`, `${p}-left`]);
const BORDER = ['', '-top', '-right', '-bottom', '-left'].flatMap((side) =>
  ['', '-width', '-style', '-color'].map((part) => `border${side}${part}`),
);
const ALLOWED_PROPERTIES = new Set([
  ...BOX,
  ...BORDER,
  'border-collapse',
  'border-spacing',
  'border-radius',
  'border-top-left-radius',
  'border-top-right-radius',
  'border-bottom-left-radius',
  'border-bottom-right-radius',
  'color',
  'background',
  'background-color',
  'background-image',
  'background-repeat',
  'background-position',
  'background-size',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-variant',
  'font-weight',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-decoration',
  'text-decoration-line',
  'text-decoration-color',
  'text-decoration-style',
  'text-indent',
  'text-transform',
  'text-shadow',
  'text-overflow',
  'white-space',
  'word-break',
  'word-wrap',
  'overflow-wrap',
  'vertical-align',
  'direction',
  'width',
  'height',
  'min-width',
  'max-width',
  'min-height',
  'max-height',
  'display',
  'float',
  'clear',
  'overflow',
  'overflow-x',
  'overflow-y',
  'visibility',
  'opacity',
  'box-sizing',
  'box-shadow',
  'list-style',
  'list-style-type',
  'list-style-position',
  'list-style-image',
  'table-layout',
  'caption-side',
  'empty-cells',
  'position',
]);
const IMAGE_PROPERTIES = new Set(['background', 'background-image', 'list-style', 'list-style-image']);
const ALLOWED_FUNCTIONS = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'calc',
  'min',
  'max',
  'clamp',
  'linear-gradient',
  'radial-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
]);
const ALLOWED_POSITIONS = new Set(['static', 'relative']);

function urlsIn(node: csstree.CssNode): csstree.Url[] {
  const urls: csstree.Url[] = [];
  csstree.walk(node, (n) => {
    if (n.type === 'Url') urls.push(n);
  });
  return urls;
}

/** Reports every URL of a node we drop, so remote loads can be counted. */
function reportDropped(node: csstree.CssNode, resolve: CssUrlResolver, kind: CssUrlKind): void {
  for (const url of urlsIn(node)) resolve(url.value, kind);
  // Unparsed parts: report what plainly looks like a remote URL.
  csstree.walk(node, (n) => {
    if (n.type === 'Raw')
      for (const m of n.value.matchAll(/(?:https?:)?\/\/[^\s)'"]+/gi)) resolve(m[0], kind);
  });
  // `@import "…"` names its URL as a plain string.
  if (node.type === 'Atrule' && node.name.toLowerCase() === 'import' && node.prelude) {
    csstree.walk(node.prelude, (n) => {
      if (n.type === 'String') resolve(n.value, 'import');
    });
  }
}

/** The declaration, rebuilt, or null when it must go. */
function sanitizeDeclaration(decl: csstree.Declaration, resolve: CssUrlResolver): string | null {
  const property = decl.property.toLowerCase();
  if (!ALLOWED_PROPERTIES.has(property)) {
    reportDropped(decl, resolve, 'other');
    return null;
  }
  let ok = true;
  csstree.walk(decl.value, (n) => {
    if (n.type === 'Raw') ok = false;
    else if (n.type === 'Function' && !ALLOWED_FUNCTIONS.has(n.name.toLowerCase())) ok = false;
  });
  if (property === 'position') {
    const text = csstree.generate(decl.value).trim().toLowerCase();
    if (!ALLOWED_POSITIONS.has(text)) ok = false;
  }
  const urls = urlsIn(decl.value);
  if (!ok || (urls.length > 0 && !IMAGE_PROPERTIES.has(property))) {
    reportDropped(decl, resolve, 'other');
    return null;
  }
  for (const url of urls) {
    const replacement = resolve(url.value, 'image');
    if (replacement === null) {
      // The remaining URLs of the declaration are dropped too: report them.
      for (const rest of urls.slice(urls.indexOf(url) + 1)) resolve(rest.value, 'image');
      return null;
    }
    url.value = replacement;
  }
  const value = csstree.generate(decl.value).trim();
  if (value === '') return null;
  return `${property}:${value}${decl.important ? '!important' : ''}`;
}

function sanitizeBlock(block: csstree.Block | csstree.DeclarationList, resolve: CssUrlResolver): string {
  const out: string[] = [];
  block.children.forEach((child) => {
    if (child.type === 'Declaration') {
      const d = sanitizeDeclaration(child, resolve);
      if (d !== null) out.push(d);
    } else {
      reportDropped(child, resolve, 'other');
    }
  });
  return out.join(';');
}

/** `<` can never appear in what we emit: it is the only way out of a `<style>` element. */
function escapeMarkup(css: string): string {
  return css.replace(/</g, '\\3c ');
}

const parseOptions = (context: string) => ({
  context,
  parseValue: true,
  parseCustomProperty: false,
  onParseError: () => {},
});

/** Filters the value of a `style` attribute. Returns '' when nothing is left. */
export function sanitizeStyleAttribute(value: string, resolve: CssUrlResolver): string {
  if (value.length > MAX_STYLE_ATTRIBUTE_LENGTH) return '';
  const ast = csstree.parse(value, parseOptions('declarationList'));
  if (ast.type !== 'DeclarationList') return '';
  return escapeMarkup(sanitizeBlock(ast, resolve));
}

/** A selector or media prelude we can write back without changing the structure around it. */
function safePrelude(prelude: csstree.CssNode | null): string | null {
  if (prelude === null || prelude.type === 'Raw') return null;
  const text = csstree.generate(prelude).trim();
  if (text === '' || /[{};@]/.test(text) || text.length > 2048) return null;
  return text;
}

function sanitizeRules(
  list: csstree.List<csstree.CssNode>,
  resolve: CssUrlResolver,
  budget: { rules: number },
): string {
  const out: string[] = [];
  list.forEach((node) => {
    if (budget.rules-- <= 0) return;
    if (node.type === 'Rule') {
      const selector = safePrelude(node.prelude);
      const body = sanitizeBlock(node.block, resolve);
      if (selector !== null && body !== '') out.push(`${selector}{${body}}`);
      else if (selector === null) reportDropped(node, resolve, 'other');
    } else if (node.type === 'Atrule' && node.name.toLowerCase() === 'media' && node.block) {
      const media = safePrelude(node.prelude);
      const inner = media === null ? '' : sanitizeRules(node.block.children, resolve, budget);
      if (media !== null && inner !== '') out.push(`@media ${media}{${inner}}`);
      else if (media === null) reportDropped(node, resolve, 'other');
    } else if (node.type === 'Atrule') {
      const name = node.name.toLowerCase();
      reportDropped(node, resolve, name === 'import' ? 'import' : name === 'font-face' ? 'font' : 'other');
    }
  });
  return out.join('');
}

/** Filters the text of a `<style>` element. Returns '' when nothing is left. */
export function sanitizeStyleSheet(text: string, resolve: CssUrlResolver): string {
  if (text.length > MAX_STYLE_SHEET_LENGTH) return '';
  const ast = csstree.parse(text, parseOptions('stylesheet'));
  if (ast.type !== 'StyleSheet') return '';
  return escapeMarkup(sanitizeRules(ast.children, resolve, { rules: MAX_RULES }));
}
