// The webmail's pure logic: windowing maths, shortcut dispatch, the message frame's srcdoc and CSP,
// addresses, the folder tree, formatting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Folder } from '../src/screens/mail/api.ts';
import { dmarcFailed } from '../src/screens/mail/dmarc.ts';
import { folderTree } from '../src/screens/mail/folders.ts';
import { formatBytes, formatFullDate, formatListDate } from '../src/screens/mail/format.ts';
import { filtersOf, mailPaths, parseMailPath } from '../src/screens/mail/paths.ts';
import { type KeyInput, SHORTCUTS, shortcutFor } from '../src/screens/mail/shortcuts.ts';
import { buildSrcdoc, escapeHtml, MESSAGE_SANDBOX, messageCsp } from '../src/screens/mail/srcdoc.ts';
import { nearEnd, rowWindow, scrollToRow } from '../src/screens/mail/windowing.ts';

describe('rowWindow', () => {
  const base = { count: 10_000, rowHeight: 76, viewportHeight: 760, overscan: 5 };

  test('renders the visible rows plus the overscan, at the top', () => {
    assert.deepEqual(rowWindow({ ...base, scrollTop: 0 }), {
      start: 0,
      end: 15,
      offsetTop: 0,
      totalHeight: 760_000,
    });
  });

  test('follows the scroll position: a few dozen rows of ten thousand', () => {
    const w = rowWindow({ ...base, scrollTop: 76 * 5000 + 30 });
    assert.equal(w.start, 4995);
    assert.equal(w.end, 5016);
    assert.equal(w.offsetTop, 4995 * 76);
    assert.ok(w.end - w.start <= 22);
  });

  test('clamps at the end and past it (overscroll, a list that just shrank)', () => {
    const end = rowWindow({ ...base, scrollTop: 76 * 10_000 - 760 });
    assert.equal(end.end, 10_000);
    assert.equal(end.start, 10_000 - 10 - 5);
    const past = rowWindow({ ...base, count: 3, scrollTop: 99_999 });
    assert.deepEqual([past.start, past.end], [0, 3]);
  });

  test('an empty list, a negative scroll and nonsense sizes render nothing or the top', () => {
    assert.deepEqual(rowWindow({ ...base, count: 0, scrollTop: 0 }), {
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
    assert.equal(rowWindow({ ...base, scrollTop: -500 }).start, 0);
    const zero = rowWindow({ ...base, rowHeight: 0, viewportHeight: -1, overscan: -3, scrollTop: 0 });
    assert.ok(zero.end >= 1 && zero.end <= base.count);
  });

  test('scrollToRow moves the least to bring a row into view', () => {
    assert.equal(scrollToRow(10, 76, 0, 760), 76 * 11 - 760, 'below: align its bottom');
    assert.equal(scrollToRow(2, 76, 760, 760), 152, 'above: align its top');
    assert.equal(scrollToRow(5, 76, 0, 760), 0, 'visible: unchanged');
  });

  test('nearEnd asks for the next page when the window reaches the last loaded rows', () => {
    assert.equal(nearEnd({ start: 80, end: 95, offsetTop: 0, totalHeight: 0 }, 100, 10), true);
    assert.equal(nearEnd({ start: 0, end: 15, offsetTop: 0, totalHeight: 0 }, 100, 10), false);
    assert.equal(nearEnd({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 }, 0, 10), false);
  });
});

describe('shortcutFor', () => {
  const key = (k: string, target: KeyInput['target'] = { tagName: 'BODY' }, mods: Partial<KeyInput> = {}) =>
    shortcutFor({ key: k, ctrlKey: false, altKey: false, metaKey: false, target, ...mods });

  test('maps every listed key to its action', () => {
    for (const s of SHORTCUTS) for (const k of s.keys) assert.equal(key(k), s.action, k);
    assert.deepEqual(
      SHORTCUTS.map((s) => s.action),
      [
        'next',
        'prev',
        'open',
        'back',
        'reply',
        'replyAll',
        'forward',
        'compose',
        'delete',
        'flag',
        'search',
        'help',
      ],
    );
  });

  test('never fires while typing: inputs, text areas, selects, editable content, dialogs', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT', 'input'])
      for (const k of ['j', 'c', '#', '/', '?', 'Delete'])
        assert.equal(key(k, { tagName }), null, `${tagName} ${k}`);
    assert.equal(key('r', { tagName: 'DIV', isContentEditable: true }), null);
    assert.equal(key('j', { tagName: 'BUTTON', closest: (s) => (s.includes('dialog') ? {} : null) }), null);
  });

  test('leaves Ctrl/Alt/Meta combinations, IME composition and handled events alone', () => {
    assert.equal(key('c', undefined, { ctrlKey: true }), null, 'Ctrl+C copies');
    assert.equal(key('f', undefined, { metaKey: true }), null);
    assert.equal(key('r', undefined, { altKey: true }), null);
    assert.equal(key('j', undefined, { isComposing: true }), null);
    assert.equal(key('j', undefined, { defaultPrevented: true }), null);
  });

  test('Shift+letter is not the shortcut; Enter on a link or button keeps its own meaning', () => {
    assert.equal(key('J'), null);
    assert.equal(key('R'), null);
    assert.equal(key('Enter', { tagName: 'A' }), null);
    assert.equal(key('Enter', { tagName: 'BUTTON' }), null);
    assert.equal(key('Enter', { tagName: 'DIV' }), 'open');
    assert.equal(key('o', { tagName: 'A' }), 'open');
    assert.equal(key('x'), null);
    assert.equal(key('j', null), 'next');
  });
});

describe('the message frame', () => {
  const origin = 'https://mail.korea.kr';

  test('its CSP forbids scripts and every remote load; images only from the proxy after "show images"', () => {
    const off = messageCsp({ origin, messageId: 'm1', images: false });
    assert.equal(
      off,
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; form-action 'none'; base-uri 'none'",
    );
    assert.doesNotMatch(off, /script-src|https?:/);
    const on = messageCsp({ origin, messageId: 'm1', images: true });
    assert.match(
      on,
      /img-src data: https:\/\/mail\.korea\.kr\/api\/v1\/proxy\/image https:\/\/mail\.korea\.kr\/api\/v1\/messages\/m1\/attachments\/;/,
    );
    assert.doesNotMatch(on, /\*|'self'|https?:(?!\/\/mail\.korea\.kr\/api\/v1\/)/);
  });

  test('the CSP meta comes first in <head>, before anything of the mail', () => {
    const doc = buildSrcdoc({
      html: '<meta http-equiv="Content-Security-Policy" content="img-src *"><p>hi</p>',
      text: null,
      origin,
      messageId: 'm1',
      images: false,
      lang: 'ko',
    });
    const ours = doc.indexOf(
      '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;',
    );
    assert.ok(ours > 0 && ours < doc.indexOf('<p>hi</p>'));
    assert.ok(ours < doc.indexOf('img-src *'), 'a policy in the mail can only add restrictions after ours');
    assert.match(doc, /^<!doctype html><html lang="ko"><head>/);
    assert.match(doc, /<base target="_blank">/);
    assert.match(doc, /<meta name="referrer" content="no-referrer">/);
    assert.doesNotMatch(doc, /<style|style=/, 'nothing inline: the styles go through the CSSOM');
  });

  test('plain text is escaped, never parsed as HTML', () => {
    const doc = buildSrcdoc({
      html: null,
      text: '<script>alert(1)</script> & <img src=x onerror=alert(2)>',
      origin,
      messageId: 'm1',
      images: false,
      lang: 'en',
    });
    assert.match(
      doc,
      /<pre class="gongjik-text">&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;img src=x onerror=alert\(2\)&gt;<\/pre>/,
    );
    assert.doesNotMatch(doc, /<script|<img/);
    assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });

  test('the sandbox never allows scripts, forms or top navigation', () => {
    const tokens = MESSAGE_SANDBOX.split(' ');
    for (const forbidden of ['allow-scripts', 'allow-forms', 'allow-top-navigation', 'allow-modals'])
      assert.ok(!tokens.includes(forbidden), forbidden);
  });

  test('DMARC fail and permerror count as failed; pass, none and a missing verdict do not', () => {
    const v = (dmarc: string) => ({ auth: { spf: 'none', dkim: [], dmarc, dmarcDomain: null } });
    assert.equal(dmarcFailed(v('fail')), true);
    assert.equal(dmarcFailed(v('permerror')), true);
    assert.equal(dmarcFailed(v('pass')), false);
    assert.equal(dmarcFailed(v('none')), false);
    assert.equal(dmarcFailed({ auth: null }), false);
  });
});

describe('addresses', () => {
  test('parse every view and refuse malformed ids', () => {
    assert.deepEqual(parseMailPath('/mail'), { kind: 'folder', folderId: null, messageId: null });
    assert.deepEqual(parseMailPath('/mail/'), { kind: 'folder', folderId: null, messageId: null });
    assert.deepEqual(parseMailPath('/mail/folder/f1'), { kind: 'folder', folderId: 'f1', messageId: null });
    assert.deepEqual(parseMailPath('/mail/folder/f1/m-2'), {
      kind: 'folder',
      folderId: 'f1',
      messageId: 'm-2',
    });
    assert.deepEqual(parseMailPath('/mail/compose', '?reply=m1'), { kind: 'compose' });
    assert.deepEqual(parseMailPath('/mail/export'), { kind: 'export' });
    assert.equal(parseMailPath('/mail/folder/a%2Fb').kind, 'notFound');
    assert.equal(parseMailPath('/mail/folder/%E0%A4%A').kind, 'notFound');
    assert.equal(parseMailPath('/mail/folder/f1/m1/x').kind, 'notFound');
    assert.equal(parseMailPath('/mail/nope').kind, 'notFound');
  });

  test('search filters round-trip through the address; bad values are dropped', () => {
    const filters = {
      q: '정기회의',
      folder: 'f1',
      from: '2026-03-01',
      to: '2026-03-31',
      hasAttachment: true,
      unread: true,
    };
    const path = mailPaths.search(filters);
    const url = new URL(path, 'https://x');
    assert.deepEqual(parseMailPath(url.pathname, url.search), { kind: 'search', filters, messageId: null });
    assert.deepEqual(filtersOf('?q=a&from=yesterday&folder=../x&attachment=yes'), {
      q: 'a',
      folder: undefined,
      from: undefined,
      to: undefined,
      hasAttachment: undefined,
      unread: undefined,
    });
    const open = new URL(mailPaths.searchMessage({ q: 'x' }, 'm1'), 'https://x');
    assert.deepEqual(parseMailPath(open.pathname, open.search), {
      kind: 'search',
      filters: filtersOf('?q=x'),
      messageId: 'm1',
    });
  });

  test('compose addresses carry the mode for helper "compose"', () => {
    assert.equal(mailPaths.compose(), '/mail/compose');
    assert.equal(mailPaths.compose({ reply: 'm1' }), '/mail/compose?reply=m1');
    assert.equal(mailPaths.compose({ replyAll: 'm1' }), '/mail/compose?replyAll=m1');
    assert.equal(mailPaths.compose({ forward: 'm 1' }), '/mail/compose?forward=m+1');
    assert.equal(mailPaths.compose({ draft: 'd1' }), '/mail/compose?draft=d1');
  });
});

describe('folder tree and formatting', () => {
  const f = (
    id: string,
    name: string,
    role: Folder['role'] = null,
    parentId: string | null = null,
  ): Folder => ({
    id,
    parentId,
    role,
    name,
    total: 0,
    unread: 0,
  });

  test('system folders first in their order, then user folders by name, children under parents', () => {
    const tree = folderTree([
      f('u2', '회의', null),
      f('t', '휴지통', 'trash'),
      f('u1', '감사', null),
      f('i', '받은편지함', 'inbox'),
      f('c', '2026', null, 'u2'),
      f('s', '보낸편지함', 'sent'),
      f('o', '고아', null, 'missing'),
      f('loop', '자기참조', null, 'loop'),
    ]);
    assert.deepEqual(
      tree.map((n) => `${n.depth}:${n.folder.name}`),
      ['0:받은편지함', '0:보낸편지함', '0:휴지통', '0:감사', '0:고아', '0:자기참조', '0:회의', '1:2026'],
    );
  });

  test('sizes, list dates and header dates in Korean (Korea time)', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(1024 ** 3), '1 GB');
    assert.equal(formatBytes(250 * 1024 * 1024), '250 MB');
    const now = new Date('2026-11-22T06:00:00Z'); // 15:00 in Seoul
    assert.equal(formatListDate('2026-11-22T01:05:00Z', 'ko', now), '오전 10:05');
    assert.equal(
      formatListDate('2026-11-21T16:00:00Z', 'ko', now),
      '오전 1:00',
      'after midnight in Seoul is today',
    );
    assert.equal(formatListDate('2026-03-02T01:00:00Z', 'ko', now), '3월 2일');
    assert.equal(formatListDate('2025-03-02T01:00:00Z', 'ko', now), '2025. 3. 2.');
    assert.equal(formatFullDate('2026-03-02T01:00:00Z', 'ko'), '2026년 3월 2일 월요일 오전 10:00');
  });
});
