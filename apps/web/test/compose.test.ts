// Pure logic of the compose screens: recipients typed or pasted, reply/forward quoting, the draft
// autosave state machine (with fake timers and clock), the upload progress model and the uploader
// (with a fake XMLHttpRequest), the plain-text alternative, and the export progress.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createAutosave,
  initialSaveState,
  reduceSave,
  type SaveState,
  type Timers,
} from '../src/screens/mail/compose/autosave.ts';
import { buildForest } from '../src/screens/mail/compose/org-tree.ts';
import { htmlToPlainText } from '../src/screens/mail/compose/plain-text.ts';
import {
  escapeHtml,
  type Original,
  prefixedSubject,
  quotedStart,
  quoteText,
  replyRecipients,
  textToHtml,
} from '../src/screens/mail/compose/quote.ts';
import {
  addRecipients,
  fromMailbox,
  isAddress,
  MAX_RECIPIENTS,
  parseOne,
  parseRecipients,
  withoutAddresses,
} from '../src/screens/mail/compose/recipients.ts';
import {
  attachmentRefs,
  percent,
  reduceUploads,
  startUpload,
  type UploadItem,
  uploading,
} from '../src/screens/mail/compose/uploads.ts';

describe('recipients', () => {
  test('splits pasted lists on commas, semicolons and line breaks, but not inside quotes or brackets', () => {
    const r = parseRecipients(
      '류시원 <ryu@korea.kr>, "김, 민준" <kim@korea.kr>; lee@seoul.go.kr\npark@korea.kr',
    );
    assert.deepEqual(r.valid, [
      { name: '류시원', address: 'ryu@korea.kr' },
      { name: '김, 민준', address: 'kim@korea.kr' },
      { name: '', address: 'lee@seoul.go.kr' },
      { name: '', address: 'park@korea.kr' },
    ]);
    assert.deepEqual(r.invalid, []);
  });

  test('keeps what is not an address apart, as typed', () => {
    const r = parseRecipients('류시원, ryu@, @korea.kr, a b@korea.kr, ok@korea.kr');
    assert.deepEqual(
      r.valid.map((x) => x.address),
      ['ok@korea.kr'],
    );
    assert.deepEqual(r.invalid, ['류시원', 'ryu@', '@korea.kr', 'a b@korea.kr']);
  });

  test('accepts Korean domains and refuses header injection in the name', () => {
    assert.equal(isAddress('info@행정안전부.한국'), true);
    assert.equal(isAddress('kim@localhost'), false);
    assert.equal(isAddress(`${'a'.repeat(65)}@korea.kr`), false);
    assert.equal(parseOne('Evil\r\nBcc: x <a@korea.kr>'), null);
    assert.deepEqual(parseOne('<kim@korea.kr>'), { name: '', address: 'kim@korea.kr' });
  });

  test('adds without duplicates (case-insensitive), in order, up to the cap', () => {
    const list = addRecipients(
      [{ name: '', address: 'Kim@korea.kr' }],
      [
        { name: '김', address: 'kim@KOREA.kr' },
        { name: '', address: 'lee@korea.kr' },
      ],
    );
    assert.deepEqual(
      list.map((r) => r.address),
      ['Kim@korea.kr', 'lee@korea.kr'],
    );
    const many = Array.from({ length: 150 }, (_, i) => ({ name: '', address: `u${i}@korea.kr` }));
    assert.equal(addRecipients([], many).length, MAX_RECIPIENTS);
    assert.deepEqual(withoutAddresses(list, [{ name: '', address: 'LEE@korea.kr' }]), [list[0]]);
  });

  test('reads a draft’s mailboxes (strings or objects), dropping what is not an address', () => {
    assert.deepEqual(fromMailbox('김 <kim@korea.kr>'), { name: '김', address: 'kim@korea.kr' });
    assert.deepEqual(fromMailbox({ name: null, address: 'kim@korea.kr' }), {
      name: '',
      address: 'kim@korea.kr',
    });
    assert.equal(fromMailbox({ address: 'nope' }), null);
    assert.equal(fromMailbox(42), null);
  });
});

const original: Original = {
  subject: 'RE: 회의 일정',
  from: { name: '김민준', address: 'kim@korea.kr' },
  to: [
    { name: '류시원', address: 'ryu@korea.kr' },
    { name: '', address: 'lee@korea.kr' },
  ],
  cc: [
    { name: '', address: 'park@korea.kr' },
    { name: '', address: 'RYU@korea.kr' },
  ],
  replyTo: [],
  sentAt: '2026-11-20T01:00:00Z',
  receivedAt: '2026-11-20T01:00:01Z',
  text: '안녕하세요.\n<b>내일</b> 10시입니다.\n\n김민준 드림',
  html: '<p>안녕하세요.</p>',
};

const labels = {
  wrote: (date: string, who: string) => `${date}, ${who} 님이 작성:`,
  forwarded: '전달된 메일',
  from: '보낸 사람',
  to: '받는 사람',
  cc: '참조',
  date: '보낸 날짜',
  subject: '제목',
  formatDate: (iso: string) => iso.slice(0, 10),
};

describe('reply and forward', () => {
  test('prefixes the subject once, whatever prefixes it had', () => {
    assert.equal(prefixedSubject('RE: RE: 회의', 'reply'), 'RE: 회의');
    assert.equal(prefixedSubject('회신: Fwd: 회의', 'reply'), 'RE: 회의');
    assert.equal(prefixedSubject('[RE] 회의', 'forward'), 'FW: 회의');
    assert.equal(prefixedSubject('RE[2]: 회의', 'forward'), 'FW: 회의');
    assert.equal(prefixedSubject('Reply policy', 'reply'), 'RE: Reply policy');
  });

  test('reply goes to the sender (or Reply-To); reply-all adds To and Cc without me or duplicates', () => {
    assert.deepEqual(replyRecipients(original, 'reply', 'ryu@korea.kr'), {
      to: [{ name: '김민준', address: 'kim@korea.kr' }],
      cc: [],
    });
    const all = replyRecipients(original, 'replyAll', 'ryu@korea.kr');
    assert.deepEqual(
      all.to.map((r) => r.address),
      ['kim@korea.kr', 'lee@korea.kr'],
    );
    assert.deepEqual(
      all.cc.map((r) => r.address),
      ['park@korea.kr'],
    );
    const withReplyTo = { ...original, replyTo: [{ name: '', address: 'desk@korea.kr' }] };
    assert.deepEqual(
      replyRecipients(withReplyTo, 'reply', 'ryu@korea.kr').to.map((r) => r.address),
      ['desk@korea.kr'],
    );
  });

  test('replying to my own sent message answers its recipients', () => {
    const mine = { ...original, from: { name: '류시원', address: 'ryu@korea.kr' } };
    assert.deepEqual(
      replyRecipients(mine, 'reply', 'ryu@korea.kr').to.map((r) => r.address),
      ['lee@korea.kr'],
    );
  });

  test('quotes the text part escaped in a blockquote, with the header line', () => {
    const start = quotedStart(original, 'reply', 'ryu@korea.kr', labels);
    assert.equal(start.subject, 'RE: 회의 일정');
    assert.equal(
      start.html,
      '<p><br></p><p>2026-11-20, 김민준 &lt;kim@korea.kr&gt; 님이 작성:</p><blockquote><p>안녕하세요.<br>&lt;b&gt;내일&lt;/b&gt; 10시입니다.</p><p>김민준 드림</p></blockquote>',
    );
  });

  test('forward keeps no recipients and lists the original headers', () => {
    const start = quotedStart(original, 'forward', 'ryu@korea.kr', labels);
    assert.deepEqual([start.to, start.cc, start.subject], [[], [], 'FW: 회의 일정']);
    assert.match(
      start.html,
      /---------- 전달된 메일 ----------<br>보낸 사람: 김민준 &lt;kim@korea\.kr&gt;<br>/,
    );
    assert.match(start.html, /참조: park@korea\.kr, RYU@korea\.kr<br>제목: RE: 회의 일정/);
  });

  test('uses the sanitized HTML only when there is no text part', () => {
    const start = quotedStart({ ...original, text: null }, 'reply', 'ryu@korea.kr', labels);
    assert.ok(start.html.endsWith('<blockquote><p>안녕하세요.</p></blockquote>'));
  });

  test('text helpers', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(textToHtml('a\r\nb\n\n\nc'), '<p>a<br>b</p><p>c</p>');
    assert.equal(quoteText('a\n> b\n'), '> a\n>> b');
  });
});

/** Fake timers and clock: `advance(ms)` runs what is due, in order. */
function fakeTime() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      pending.delete(h as number);
    },
  };
  return {
    timers,
    now: () => now,
    pending: () => pending.size,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        now = due[1].at;
        pending.delete(due[0]);
        due[1].fn();
        await new Promise((r) => setImmediate(r));
      }
      now = until;
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('draft autosave', () => {
  test('reducer: edit → dirty → due → saving → saved; an edit during a save saves again', () => {
    let s: SaveState = initialSaveState();
    s = reduceSave(s, { type: 'edit', now: 0 }, 2000);
    assert.deepEqual(s, { kind: 'dirty', savedAt: null, dueAt: 2000 });
    assert.equal(reduceSave(s, { type: 'due', now: 1999 }, 2000), s, 'not yet due');
    s = reduceSave(s, { type: 'due', now: 2000 }, 2000);
    assert.equal(s.kind, 'saving');
    s = reduceSave(s, { type: 'edit', now: 2100 }, 2000);
    assert.deepEqual(s, { kind: 'saving', savedAt: null, again: true });
    const at = new Date('2026-11-22T00:00:00Z');
    s = reduceSave(s, { type: 'saved', at, now: 2500 }, 2000);
    assert.deepEqual(s, { kind: 'dirty', savedAt: at, dueAt: 4500 });
    s = reduceSave(s, { type: 'due', now: 4500 }, 2000);
    s = reduceSave(s, { type: 'failed', error: 'x' }, 2000);
    assert.deepEqual(s, { kind: 'failed', savedAt: at, error: 'x' });
    assert.equal(reduceSave(s, { type: 'flush' }, 2000).kind, 'saving');
    assert.equal(
      reduceSave(initialSaveState(), { type: 'saved', at, now: 0 }).kind,
      'clean',
      'stray answers ignored',
    );
  });

  test('debounces: many edits in a row make one save, 2 s after the last', async () => {
    const time = fakeTime();
    const saves: number[] = [];
    const states: string[] = [];
    const a = createAutosave({
      timers: time.timers,
      now: time.now,
      onChange: (s) => states.push(s.kind),
      save: async () => {
        saves.push(time.now());
        return new Date(time.now());
      },
    });
    for (let i = 0; i < 5; i++) {
      a.edit();
      await time.advance(500);
    }
    assert.deepEqual(saves, [], 'still typing');
    await time.advance(1499);
    assert.deepEqual(saves, []);
    await time.advance(1);
    assert.deepEqual(saves, [4000]);
    assert.equal(a.state().kind, 'clean');
    assert.equal(a.state().savedAt?.getTime(), 4000);
    assert.deepEqual(states, ['dirty', 'saving', 'clean']);
    assert.equal(time.pending(), 0);
    a.dispose();
  });

  test('an edit while saving is saved right after; flush waits for it; a failure is shown and retried on flush', async () => {
    const time = fakeTime();
    let release: (() => void) | null = null;
    let fail = false;
    let calls = 0;
    const a = createAutosave({
      timers: time.timers,
      now: time.now,
      onChange: () => undefined,
      save: () => {
        calls++;
        if (fail) return Promise.reject(new Error('offline'));
        return new Promise<Date>((resolve) => {
          release = () => resolve(new Date(time.now()));
        });
      },
    });
    a.edit();
    await time.advance(2000);
    assert.equal(calls, 1);
    a.edit(); // during the save
    const flushed = a.flush();
    release!();
    await time.advance(0);
    assert.equal(calls, 2, 'saved again at once for the flush');
    release!();
    await flushed;
    assert.equal(a.state().kind, 'clean');

    fail = true;
    a.edit();
    await time.advance(2000);
    assert.equal(a.state().kind, 'failed');
    fail = false;
    const retry = a.flush();
    await time.advance(0);
    release!();
    await retry;
    assert.equal(a.state().kind, 'clean');
    assert.equal(calls, 4);
    a.dispose();
  });

  test('dispose stops the timer: nothing is saved afterwards', async () => {
    const time = fakeTime();
    let calls = 0;
    const a = createAutosave({
      timers: time.timers,
      now: time.now,
      onChange: () => undefined,
      save: async () => {
        calls++;
        return new Date();
      },
    });
    a.edit();
    a.dispose();
    await time.advance(10_000);
    assert.equal(calls, 0);
  });
});

describe('upload progress model', () => {
  const add = (items: UploadItem[], key: string, size: number) =>
    reduceUploads(items, {
      type: 'add',
      key,
      name: `${key}.pdf`,
      size,
      fileType: 'application/pdf',
      maxBytes: 1000,
    });

  test('tracks progress monotonically, done at 100 %, refs only for finished uploads', () => {
    let items = add([], 'a', 400);
    items = add(items, 'b', 200);
    assert.equal(uploading(items), true);
    items = reduceUploads(items, { type: 'progress', key: 'a', loaded: 100 });
    assert.equal(percent(items[0]!), 25);
    items = reduceUploads(items, { type: 'progress', key: 'a', loaded: 50 });
    assert.equal(percent(items[0]!), 25, 'never goes back');
    items = reduceUploads(items, { type: 'progress', key: 'a', loaded: 9999 });
    assert.equal(percent(items[0]!), 100);
    items = reduceUploads(items, { type: 'done', key: 'a', uploadId: 'up1' });
    assert.deepEqual(attachmentRefs(items), [{ uploadId: 'up1' }]);
    items = reduceUploads(items, { type: 'cancelled', key: 'b' });
    assert.equal(items[1]!.state, 'cancelled');
    assert.equal(uploading(items), false);
    items = reduceUploads(items, { type: 'done', key: 'b', uploadId: 'late' });
    assert.equal(items[1]!.state, 'cancelled', 'a cancelled upload stays cancelled');
    assert.deepEqual(attachmentRefs(reduceUploads(items, { type: 'remove', key: 'a' })), []);
  });

  test('refuses a file over the limit before sending it; failures keep their error', () => {
    let items = add([], 'big', 1001);
    assert.equal(items[0]!.state, 'tooLarge');
    items = add(items, 'c', 10);
    items = reduceUploads(items, { type: 'failed', key: 'c', error: 'ERR' });
    assert.deepEqual([items[1]!.state, items[1]!.error], ['failed', 'ERR']);
    assert.equal(percent({ ...items[1]!, size: 0 }), 0);
  });

  test('startUpload streams the file with its name and type, reports progress, resolves to the id', async () => {
    const sent: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
    class FakeXhr {
      status = 0;
      responseText = '';
      withCredentials = false;
      upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      private req = { method: '', url: '', headers: {} as Record<string, string>, body: null as unknown };
      open(method: string, url: string) {
        this.req.method = method;
        this.req.url = url;
      }
      setRequestHeader(k: string, v: string) {
        this.req.headers[k] = v;
      }
      send(body: unknown) {
        this.req.body = body;
        sent.push(this.req);
        this.upload.onprogress?.({ loaded: 3 });
        this.status = 201;
        this.responseText = '{"id":"up-1"}';
        this.onload?.();
      }
      abort() {
        this.onabort?.();
      }
    }
    const progress: number[] = [];
    const file = Object.assign(new Blob(['hello']), { name: '보고서 1.pdf' });
    const job = startUpload({
      file,
      headers: { 'X-CSRF-Token': 'tok' },
      onProgress: (n) => progress.push(n),
      toError: (status) => new Error(String(status)),
      networkError: () => new Error('net'),
      xhr: () => new FakeXhr() as unknown as XMLHttpRequest,
    });
    assert.equal(await job.done, 'up-1');
    assert.deepEqual(progress, [3]);
    assert.equal(sent[0]!.method, 'POST');
    assert.equal(
      sent[0]!.url,
      `/api/v1/uploads?filename=${encodeURIComponent('보고서 1.pdf')}&type=application%2Foctet-stream`,
    );
    assert.equal(sent[0]!.headers['X-CSRF-Token'], 'tok');
    assert.equal(sent[0]!.headers['Content-Type'], 'application/octet-stream');
    assert.equal(sent[0]!.body, file);
  });

  test('startUpload: a refusal becomes the caller’s error, cancel rejects with "cancelled"', async () => {
    const make = (behaviour: 'refuse' | 'hang') =>
      class {
        status = 0;
        responseText = '';
        withCredentials = false;
        upload = { onprogress: null };
        onload: (() => void) | null = null;
        onerror: (() => void) | null = null;
        onabort: (() => void) | null = null;
        open() {}
        setRequestHeader() {}
        send() {
          if (behaviour === 'refuse') {
            this.status = 413;
            this.responseText = '{"code":"ERR_MAIL_ATTACHMENT_TOO_LARGE"}';
            this.onload?.();
          }
        }
        abort() {
          this.onabort?.();
        }
      };
    const base = {
      file: Object.assign(new Blob(['x']), { name: 'a.txt' }),
      headers: {},
      onProgress: () => undefined,
      toError: (status: number, body: string) => ({ status, body }),
      networkError: () => 'net',
    };
    const Refuse = make('refuse');
    await assert.rejects(
      startUpload({ ...base, xhr: () => new Refuse() as unknown as XMLHttpRequest }).done,
      {
        status: 413,
        body: '{"code":"ERR_MAIL_ATTACHMENT_TOO_LARGE"}',
      },
    );
    const Hang = make('hang');
    const job = startUpload({ ...base, xhr: () => new Hang() as unknown as XMLHttpRequest });
    job.cancel();
    await assert.rejects(job.done, (e) => e === 'cancelled');
  });
});

describe('plain-text alternative', () => {
  // A minimal DOM-like tree (the node tests have no DOM).
  const el = (name: string, children: unknown[], attrs: Record<string, string> = {}) => ({
    nodeType: 1,
    nodeName: name,
    nodeValue: null,
    childNodes: children,
    getAttribute: (k: string) => attrs[k] ?? null,
  });
  const txt = (v: string) => ({ nodeType: 3, nodeName: '#text', nodeValue: v, childNodes: [] });

  test('keeps paragraphs, breaks, lists, quotes and link targets', () => {
    const root = el('DIV', [
      el('P', [txt('안녕하세요, '), el('B', [txt('회의')]), txt(' 안내입니다.')]),
      el('UL', [el('LI', [txt('첫째')]), el('LI', [txt('둘째')])]),
      el('OL', [el('LI', [txt('하나')]), el('LI', [txt('둘')])]),
      el('BLOCKQUOTE', [el('P', [txt('원문'), el('BR', []), txt('둘째 줄')])]),
      el('P', [el('A', [txt('자료')], { href: 'https://www.korea.kr/' })]),
    ]);
    assert.equal(
      htmlToPlainText(root as never),
      '안녕하세요, 회의 안내입니다.\n\n- 첫째\n- 둘째\n1. 하나\n2. 둘\n> 원문\n> 둘째 줄\n\n자료 <https://www.korea.kr/>',
    );
  });
});

describe('조직도 tree', () => {
  const person = (name: string) => ({
    name,
    address: `${name}@korea.kr`,
    agency: '행정안전부',
    department: null,
    position: null,
    head: false,
  });
  const dept = (code: string, parentCode: string | null, people: string[] = []) => ({
    code,
    name: code,
    parentCode,
    people: people.map(person),
  });

  test('nests departments under their parents and counts the people of each subtree', () => {
    const forest = buildForest([
      dept('POL', 'DGOV', ['a', 'b']),
      dept('DGOV', null, ['c']),
      dept('SUB', 'POL', ['d']),
    ]);
    assert.equal(forest.length, 1);
    assert.equal(forest[0]!.dept.code, 'DGOV');
    assert.equal(forest[0]!.count, 4);
    assert.deepEqual(
      forest[0]!.children.map((c) => [c.dept.code, c.count, c.children.map((x) => x.dept.code)]),
      [['POL', 3, ['SUB']]],
    );
  });

  test('a department with an unknown parent, or in a loop, still shows (as a root), once', () => {
    const forest = buildForest([dept('A', 'B'), dept('B', 'A'), dept('C', 'GONE', ['x']), dept('D', 'D')]);
    const codes = (nodes: ReturnType<typeof buildForest>): string[] =>
      nodes.flatMap((n) => [n.dept.code, ...codes(n.children)]);
    assert.deepEqual(codes(forest).sort(), ['A', 'B', 'C', 'D']);
  });
});
