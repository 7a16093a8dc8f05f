import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CssUrlKind,
  sanitizeStyleAttribute,
  sanitizeStyleSheet,
} from '../src/domain/mail/sanitize-css.ts';

/** Resolves cid:ok to a part, drops everything else, and records what it saw. */
function resolver() {
  const seen: string[] = [];
  const resolve = (url: string, kind: CssUrlKind) => {
    seen.push(`${kind} ${url}`);
    return url === 'cid:ok' ? '/parts/1' : null;
  };
  return { seen, resolve };
}

describe('sanitizeStyleAttribute', () => {
  it('keeps allowed declarations with !important and drops the rest', () => {
    const { resolve } = resolver();
    assert.equal(
      sanitizeStyleAttribute(
        'COLOR: Red !important; z-index: 99; top: 0; font-size: 10pt; mso-line-height-rule: exactly',
        resolve,
      ),
      'color:Red!important;font-size:10pt',
    );
  });

  it('allows position static and relative only', () => {
    const { resolve } = resolver();
    assert.equal(sanitizeStyleAttribute('position: relative', resolve), 'position:relative');
    for (const p of ['fixed', 'absolute', 'sticky', 'f\\ixed', 'relative fixed']) {
      assert.equal(sanitizeStyleAttribute(`position: ${p}`, resolve), '', p);
    }
  });

  it('refuses escaped property names and functions outside the allow-list', () => {
    const { resolve } = resolver();
    assert.equal(sanitizeStyleAttribute('p\\osition: fixed; w\\idth: e\\xpression(alert(1))', resolve), '');
    assert.equal(
      sanitizeStyleAttribute('width: calc(100% - 2px); color: rgb(1, 2, 3); color: var(--x)', resolve),
      'width:calc(100% - 2px);color:rgb(1,2,3)',
    );
  });

  it('replaces resolvable image URLs, drops the declaration otherwise, and reports every URL', () => {
    const { seen, resolve } = resolver();
    assert.equal(
      sanitizeStyleAttribute(
        'background: url(cid:ok) no-repeat; background-image: url(http://e/x.png); cursor: url(http://e/c)',
        resolve,
      ),
      'background:url(/parts/1)no-repeat',
    );
    assert.deepEqual(seen, ['image cid:ok', 'image http://e/x.png', 'other http://e/c']);
  });
});

describe('sanitizeStyleSheet', () => {
  it('keeps rules and @media, drops @import, @font-face and other at-rules, reporting their URLs', () => {
    const { seen, resolve } = resolver();
    const css = sanitizeStyleSheet(
      "@charset 'utf-8'; @import url(http://e/a.css); @import 'http://e/b.css'; .a{color:red;behavior:url(x.htc)} @media print{.b{color:blue}} @font-face{src:url(http://e/f.woff)} @keyframes k{from{color:red}}",
      resolve,
    );
    assert.equal(css, '.a{color:red}@media print{.b{color:blue}}');
    assert.deepEqual(seen, [
      'import http://e/a.css',
      'import http://e/b.css',
      'other x.htc',
      'font http://e/f.woff',
    ]);
  });

  it('can never emit a < (no way out of the <style> element)', () => {
    const { resolve } = resolver();
    const css = sanitizeStyleSheet("a[title='</style><img src=x onerror=alert(1)>']{color:red}", resolve);
    assert.ok(!css.includes('<'), css);
    assert.ok(css.includes('\\3c '));
  });

  it('drops an oversized sheet', () => {
    const { resolve } = resolver();
    assert.equal(sanitizeStyleSheet(`.a{color:red}${' '.repeat(300 * 1024)}`, resolve), '');
  });
});
