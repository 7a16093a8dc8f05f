import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { JSDOM, VirtualConsole } from 'jsdom';
import { type SanitizeOptions, sanitizeMailHtml } from '../src/domain/mail/sanitize-html.ts';

interface Vector {
  id: string;
  category: string;
  source: string;
  html: string;
  blockedRemote?: number;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('./fixtures/xss-vectors.json', import.meta.url), 'utf8'),
) as {
  vectors: Vector[];
};
const koreanMail = readFileSync(new URL('./fixtures/korean-business-mail.html', import.meta.url), 'utf8');

const PART = '/api/v1/messages/7/parts/';
const PROXY = '/api/v1/image-proxy?url=';
const options: SanitizeOptions = { cidUrls: { 'logo@example.go.kr': `${PART}2`, bg: `${PART}3` } };
const proxied: SanitizeOptions = {
  ...options,
  allowRemoteImages: true,
  proxy: (url) => `${PROXY}${encodeURIComponent(url)}`,
};

const FORBIDDEN_ELEMENTS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button', 'textarea',
  'select', 'meta', 'base', 'link', 'svg', 'math', 'template', 'noscript', 'video', 'audio', 'source', 'picture',
  'isindex', 'xmp', 'plaintext', 'image', 'use', 'animate', 'set', 'foreignobject',
]); // biome-ignore format: a word list
const FORBIDDEN_ATTRIBUTES = new Set([
  'srcset',
  'formaction',
  'action',
  'poster',
  'data',
  'xlink:href',
  'lowsrc',
  'dynsrc',
  'srcdoc',
]);
const BAD_CSS =
  /url\(|expression|@import|@font-face|behavio|binding|image-set|javascript|position\s*:\s*(?:fixed|absolute|sticky)|var\(/i;
const SAFE_IMAGE = new RegExp(
  `^(?:${PART.replace(/[/?]/g, '\\$&')}|${PROXY.replace(/[/?]/g, '\\$&')}|data:image/(?:png|gif|jpeg|webp)[;,])`,
);

/**
 * Independent of the sanitizer's code: re-parses the output as a browser would and lists every
 * executable vector or remote load left in it.
 */
const checkerWindow = new JSDOM('', { virtualConsole: new VirtualConsole() }).window;
const parse = (html: string) =>
  new checkerWindow.DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
/** CSS with the url()s we put there ourselves (own parts, proxy) taken out. */
const withoutOwnUrls = (css: string) =>
  css.replace(/url\((?:\/api\/v1\/messages\/7\/parts\/\d+|\/api\/v1\/image-proxy\?url=[^)\s'"]*)\)/g, '');

function problems(html: string, allowProxy = false): string[] {
  const found: string[] = [];
  const document = parse(html);
  if (/<script/i.test(html)) found.push('a <script tag in the markup');
  for (const el of document.body.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(tag) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml')
      found.push(`element <${tag}>`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these in URLs
      const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(`handler ${name} on <${tag}>`);
      if (FORBIDDEN_ATTRIBUTES.has(name)) found.push(`attribute ${name} on <${tag}>`);
      if (/^(?:javascript|vbscript|livescript):/.test(value) || value.includes('javascript:'))
        found.push(`script URL in ${name}`);
      if (name === 'src' || name === 'background') {
        if (!SAFE_IMAGE.test(attr.value)) found.push(`${name}=${attr.value} on <${tag}>`);
        if (!allowProxy && attr.value.startsWith(PROXY)) found.push(`proxied ${name} without permission`);
      } else if (name === 'href') {
        if (tag !== 'a') found.push(`href on <${tag}>`);
        if (!/^(?:https?:|mailto:|tel:|#)/i.test(attr.value)) found.push(`href=${attr.value}`);
        if (/^https?:/i.test(attr.value) && el.getAttribute('rel') !== 'noopener noreferrer nofollow')
          found.push('link without rel');
      } else if (name === 'style') {
        if (BAD_CSS.test(withoutOwnUrls(attr.value))) found.push(`style=${attr.value}`);
        if (!allowProxy && attr.value.includes(PROXY)) found.push('proxied CSS image without permission');
      } else if (/(?:https?:)?\/\//i.test(attr.value) || value.startsWith('data:')) {
        found.push(`URL in ${name}=${attr.value}`);
      }
    }
    const css = withoutOwnUrls(el.textContent ?? '');
    if (
      tag === 'style' &&
      (BAD_CSS.test(css) || /\/\//.test(css) || (!allowProxy && el.textContent!.includes(PROXY)))
    ) {
      found.push(`style element ${el.textContent}`);
    }
  }
  return found;
}

describe('sanitizeMailHtml — malicious corpus (fixtures/xss-vectors.json)', () => {
  it('holds a corpus of at least 90 vectors from every category', () => {
    assert.ok(vectors.length >= 90);
    for (const c of ['script', 'handler', 'scheme', 'svg', 'css', 'document', 'remote', 'mxss']) {
      assert.ok(
        vectors.some((v) => v.category === c),
        c,
      );
    }
  });

  for (const v of vectors) {
    it(`${v.id}: leaves no executable vector or remote load (${v.source})`, () => {
      const out = sanitizeMailHtml(v.html, options);
      assert.deepEqual(problems(out.html), [], out.html);
      if (v.blockedRemote !== undefined) {
        assert.equal(out.blockedRemote, v.blockedRemote, `blockedRemote, urls: ${out.remoteUrls.join(' ')}`);
        assert.ok(out.remoteUrls.length > 0 && out.remoteUrls.length <= v.blockedRemote);
      }
      // A fixed point: sanitizing the output again changes nothing (no mutation on re-parse).
      assert.equal(sanitizeMailHtml(out.html, options).html, out.html);
      // With remote images allowed, nothing unsafe appears either.
      assert.deepEqual(problems(sanitizeMailHtml(v.html, proxied).html, true), []);
    });
  }

  it('the checker itself flags what it must (a test that cannot fail is a defect)', () => {
    assert.ok(problems('<img src=x onerror=alert(1)>').length > 0);
    assert.ok(problems('<a href="jav&#x09;ascript:alert(1)">x</a>').length > 0);
    assert.ok(problems('<img src="http://evil.example/x.png">').length > 0);
    assert.ok(problems('<div style="background:url(http://e/x)">x</div>').length > 0);
    assert.ok(problems('<svg><image href="x"/></svg>').length > 0);
    assert.ok(problems('<style>@import "x.css";</style>').length > 0);
    assert.ok(problems('<a href="https://ok.example/">x</a>').length > 0, 'link without rel');
  });
});

describe('sanitizeMailHtml — remote content', () => {
  it('removes a remote image by default and reports it', () => {
    const out = sanitizeMailHtml('<p>x</p><img src="https://tracker.example/p.gif?id=1" alt="t">');
    assert.equal(out.html, '<p>x</p><img alt="t">');
    assert.equal(out.blockedRemote, 1);
    assert.deepEqual(out.remoteUrls, ['https://tracker.example/p.gif?id=1']);
  });

  it('rewrites public image URLs through the proxy when remote images are allowed', () => {
    const out = sanitizeMailHtml(
      '<img src="https://cdn.example.com/a.png"><div style="background-image:url(https://cdn.example.com/b.png)">x</div>' +
        '<table><tr><td background="http://cdn.example.com/c.png">y</td></tr></table>',
      proxied,
    );
    assert.equal(out.blockedRemote, 0);
    assert.ok(
      out.html.includes(`src="${PROXY}${encodeURIComponent('https://cdn.example.com/a.png')}"`),
      out.html,
    );
    assert.ok(out.html.includes(`${PROXY}${encodeURIComponent('https://cdn.example.com/b.png')}`), out.html);
    assert.ok(
      out.html.includes(`background="${PROXY}${encodeURIComponent('http://cdn.example.com/c.png')}"`),
      out.html,
    );
  });

  it('never hands a private or numeric-trick address to the proxy', () => {
    for (const url of [
      'http://127.0.0.1/x.png',
      'http://2130706433/x.png',
      'http://0x7f.1/x.png',
      'http://0177.0.0.1/x.png',
      'http://[::1]/x.png',
      'http://[::ffff:10.0.0.1]/x.png',
      'http://169.254.169.254/latest/meta-data',
      'http://localhost/x.png',
      'http://intranet/x.png',
      'http://user:pw@cdn.example.com/x.png',
      'ftp://cdn.example.com/x.png',
    ]) {
      let called = false;
      const out = sanitizeMailHtml(`<img src="${url}">`, {
        allowRemoteImages: true,
        proxy: () => {
          called = true;
          return '/never';
        },
      });
      assert.equal(called, false, url);
      assert.equal(out.html, '<img>', url);
    }
  });

  it('proxies images only, never style sheets, fonts or links', () => {
    const out = sanitizeMailHtml(
      '<style>@import url(https://cdn.example.com/a.css);@font-face{src:url(https://cdn.example.com/f.woff)}</style><a href="https://cdn.example.com/">l</a>',
      proxied,
    );
    assert.equal(out.blockedRemote, 2);
    assert.ok(!out.html.includes(PROXY));
  });

  it('resolves cid: references to the message’s own parts and drops unknown ones', () => {
    const out = sanitizeMailHtml(
      '<img src="cid:logo@example.go.kr"><img src="CID:%3Clogo@example.go.kr%3E"><img src="cid:missing@x"><div style="background:url(cid:bg)">x</div>',
      options,
    );
    assert.equal(
      out.html,
      `<img src="${PART}2"><img src="${PART}2"><img><div style="background:url(${PART}3)">x</div>`,
    );
    assert.equal(out.blockedRemote, 0);
  });

  it('refuses cid targets that are not our own paths or https', () => {
    const out = sanitizeMailHtml('<img src="cid:a">', { cidUrls: { a: 'javascript:alert(1)' } });
    assert.equal(out.html, '<img>');
  });

  it('keeps inline PNG/GIF/JPEG/WebP data images and drops other data: URLs', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    assert.equal(sanitizeMailHtml(`<img src="${png}">`).html, `<img src="${png}">`);
    assert.equal(sanitizeMailHtml('<img src="data:image/svg+xml,<svg/>">').html, '<img>');
    assert.equal(sanitizeMailHtml('<img src="data:text/html,hi">').html, '<img>');
  });

  it('drops relative URLs, which would resolve against our own origin in the viewer', () => {
    assert.equal(
      sanitizeMailHtml('<img src="/api/v1/account/delete"><a href="../x">x</a>').html,
      '<img><a>x</a>',
    );
  });
});

describe('sanitizeMailHtml — links', () => {
  it('opens web links in a new tab without opener or referrer and keeps mailto/tel/#fragment', () => {
    const out = sanitizeMailHtml(
      '<a href="https://www.korea.kr/a?b=1&amp;c=2">k</a><a href="mailto:kim@korea.kr">m</a><a href="tel:044-000-0000">t</a><a href="#s1">f</a>',
    );
    assert.equal(
      out.html,
      '<a href="https://www.korea.kr/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">k</a>' +
        '<a href="mailto:kim@korea.kr" target="_blank" rel="noopener noreferrer nofollow">m</a>' +
        '<a href="tel:044-000-0000" target="_blank" rel="noopener noreferrer nofollow">t</a><a href="#s1">f</a>',
    );
  });

  it('replaces a target or rel the sender chose', () => {
    const out = sanitizeMailHtml('<a href="https://x.example/" target="_self" rel="opener">x</a>');
    assert.equal(
      out.html,
      '<a href="https://x.example/" target="_blank" rel="noopener noreferrer nofollow">x</a>',
    );
  });
});

describe('sanitizeMailHtml — bounds', () => {
  it('refuses input over maxBytes with ERR_MAIL_HTML_TOO_LARGE', () => {
    assert.throws(
      () => sanitizeMailHtml(`<p>${'가'.repeat(400)}</p>`, { maxBytes: 1000 }),
      (err: unknown) => isGongjikError(err, 'ERR_MAIL_HTML_TOO_LARGE'),
    );
    assert.ok(sanitizeMailHtml(`<p>${'가'.repeat(300)}</p>`, { maxBytes: 1000 }).html.length > 0);
  });

  it('refuses nesting deeper than maxDepth with ERR_MAIL_HTML_TOO_DEEP, and handles the limit itself', () => {
    assert.throws(
      () => sanitizeMailHtml('<div>'.repeat(600)),
      (err: unknown) => isGongjikError(err, 'ERR_MAIL_HTML_TOO_DEEP'),
    );
    const atLimit = sanitizeMailHtml(`${'<div>'.repeat(500)}깊은 본문`);
    assert.ok(atLimit.html.includes('깊은 본문'));
  });

  it('refuses more than maxElements with ERR_MAIL_HTML_TOO_LARGE', () => {
    assert.throws(
      () => sanitizeMailHtml('<b>x</b>'.repeat(2000), { maxElements: 1000 }),
      (err: unknown) => isGongjikError(err, 'ERR_MAIL_HTML_TOO_LARGE'),
    );
  });

  it('drops an oversized style attribute rather than parsing it', () => {
    const out = sanitizeMailHtml(`<p style="color:red;${'margin:0;'.repeat(5000)}">x</p>`);
    assert.equal(out.html, '<p>x</p>');
  });
});

describe('sanitizeMailHtml — benign Korean business mail (fixtures/korean-business-mail.html)', () => {
  const out = sanitizeMailHtml(koreanMail, options);
  const document = parse(out.html);

  it('is clean and reports the one remote banner', () => {
    assert.deepEqual(problems(out.html), []);
    assert.equal(out.blockedRemote, 1);
    assert.deepEqual(out.remoteUrls, ['https://www.example.go.kr/images/banner.png']);
  });

  it('keeps the text, the table with its attributes, and the list', () => {
    for (const text of [
      '2025년 3월 정기회의 개최 안내',
      '행정지원과',
      '본관 3층 대회의실',
      '민원 처리 현황 보고',
      'RE: 회의 일정 문의',
    ]) {
      assert.ok(document.body.textContent!.includes(text), text);
    }
    const table = document.querySelector('table.agenda')!;
    assert.ok(table);
    assert.equal(table.getAttribute('cellpadding'), '4');
    assert.equal(table.getAttribute('width'), '600');
    assert.equal(table.querySelectorAll('tr').length, 4);
    assert.equal(document.querySelectorAll('ol > li').length, 2);
  });

  it('keeps fonts, colours and inline styles', () => {
    assert.equal(document.querySelector('font')!.getAttribute('color'), '#c00000');
    const p = document.querySelector('p[style*="font-family"]')!;
    assert.match(p.getAttribute('style')!, /font-family:굴림,\s*Gulim/);
    assert.match(p.getAttribute('style')!, /line-height:160%/);
    assert.match(document.querySelector('span')!.getAttribute('style')!, /background-color:#ffff00/i);
    assert.match(out.html, /color:rgb\(89,\s*89,\s*89\)/);
  });

  it('keeps the head’s style sheet (with @media) and the body’s colours on a wrapper', () => {
    const style = document.querySelector('style')!.textContent!;
    assert.match(style, /\.title\{font-size:14pt;font-weight:bold;color:#1f4e79\}/);
    assert.match(style, /'맑은 고딕'|"맑은 고딕"/);
    assert.match(style, /@media screen and \(max-width:600px\)/);
    const wrapper = document.body.firstElementChild!;
    assert.equal(wrapper.getAttribute('bgcolor'), '#ffffff');
    assert.match(wrapper.getAttribute('style')!, /padding:12px/);
  });

  it('resolves the logo, links safely, and drops the title and meta', () => {
    assert.equal(document.querySelector('img[alt="행정지원과 로고"]')!.getAttribute('src'), `${PART}2`);
    assert.equal(document.querySelector('img[alt="배너"]')!.hasAttribute('src'), false);
    const link = document.querySelector('a[href^="https://intranet"]')!;
    assert.equal(link.getAttribute('target'), '_blank');
    assert.ok(document.querySelector('a[href="mailto:kim@example.go.kr"]'));
    assert.equal(document.querySelector('title'), null);
    assert.equal(document.querySelector('meta'), null);
  });

  it('shows the banner through the proxy when the reader allows remote images', () => {
    const shown = sanitizeMailHtml(koreanMail, proxied);
    assert.equal(shown.blockedRemote, 0);
    assert.ok(
      shown.html.includes(`${PROXY}${encodeURIComponent('https://www.example.go.kr/images/banner.png')}`),
    );
  });
});
