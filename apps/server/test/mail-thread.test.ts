import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseThread,
  hasReplyPrefix,
  MAX_LINKS,
  messageLinks,
  normalizeMessageId,
  parseMessageIds,
  stripSubjectPrefixes,
  subjectKey,
  type ThreadMeta,
  threadMessages,
} from '../src/domain/mail/thread.ts';

const day = 24 * 60 * 60 * 1000;
const t0 = new Date('2025-03-03T09:00:00+09:00');
const at = (days: number) => new Date(t0.getTime() + days * day);

describe('subject normalisation', () => {
  const cases: [string, string][] = [
    ['RE: 회의 안내', '회의 안내'],
    ['Re: Fwd: FW: 회의 안내', '회의 안내'],
    ['회신: 전달: 답장: 회의 안내', '회의 안내'],
    ['RE:RE:회의록', '회의록'],
    ['RE : 회의록', '회의록'],
    ['회신：회의록', '회의록'],
    ['FW：RE：회의록', '회의록'],
    ['[RE] 회의록', '회의록'],
    ['[회신][전달] 회의록', '회의록'],
    ['RE[2]: 회의록', '회의록'],
    ['Re(3): Re^2: 회의록', '회의록'],
    ['FWD: fwd: 예산', '예산'],
    ['  re:   예산  ', '예산'],
    ['[공지] 정기회의', '[공지] 정기회의'],
    ['Regarding: budget', 'Regarding: budget'],
    ['Ref: 2025-01', 'Ref: 2025-01'],
    ['회신 요청: 자료 제출', '회신 요청: 자료 제출'],
    ['RE:', ''],
  ];
  for (const [input, expected] of cases) {
    it(`strips ${JSON.stringify(input)} to ${JSON.stringify(expected)}`, () => {
      assert.equal(stripSubjectPrefixes(input), expected);
    });
  }

  it('folds full-width letters, case and spaces in the comparison key', () => {
    assert.equal(subjectKey('ＲＥ： 정기  회의'), subjectKey('정기 회의'));
    assert.equal(subjectKey('RE: Budget Review'), 'budget review');
  });

  it('knows when a subject is a reply or forward', () => {
    assert.ok(hasReplyPrefix('회신: 예산'));
    assert.ok(hasReplyPrefix('[FW] 예산'));
    assert.ok(!hasReplyPrefix('예산 회신: 요청'));
    assert.ok(!hasReplyPrefix(null));
  });

  it('bounds the work on a subject made of thousands of prefixes', () => {
    const s = `${'Re: '.repeat(5000)}회의`;
    assert.ok(stripSubjectPrefixes(s).length > 0, 'stops after the prefix bound without hanging');
  });
});

describe('Message-ID parsing', () => {
  it('reads ids in order, without brackets, ignoring comments and duplicates', () => {
    assert.deepEqual(parseMessageIds('<a@x> (comment) <b@x>\r\n <a@x> <bad id@x> <noat>'), ['a@x', 'b@x']);
    assert.deepEqual(parseMessageIds('<c@x> (Your message of Mon, 3 Mar 2025)'), ['c@x']);
    assert.deepEqual(parseMessageIds(['<a@x>', 'b@x']), ['a@x', 'b@x']);
    assert.deepEqual(parseMessageIds(null), []);
  });

  it('keeps the root and the newest ids of a huge References header', () => {
    const ids = parseMessageIds(Array.from({ length: 500 }, (_, i) => `<m${i}@x>`).join(' '));
    assert.equal(ids.length, MAX_LINKS);
    assert.equal(ids[0], 'm0@x');
    assert.equal(ids.at(-1), 'm499@x');
  });

  it('refuses unusable ids', () => {
    assert.equal(normalizeMessageId(''), null);
    assert.equal(normalizeMessageId('<>'), null);
    assert.equal(normalizeMessageId(`<${'a'.repeat(300)}@x>`), null);
    assert.equal(normalizeMessageId(' <a@x> '), 'a@x');
  });

  it('appends In-Reply-To when References lacks it and never links a message to itself', () => {
    assert.deepEqual(
      messageLinks({ messageId: '<c@x>', references: '<a@x>', inReplyTo: '<b@x>', date: t0 }),
      ['a@x', 'b@x'],
    );
    assert.deepEqual(messageLinks({ messageId: '<c@x>', references: '<a@x> <c@x>', date: t0 }), ['a@x']);
  });
});

describe('chooseThread', () => {
  it('takes the thread of the first known ancestor and merges the others', () => {
    const meta: ThreadMeta = { messageId: '<d@x>', references: '<a@x> <b@x> <c@x>', date: t0 };
    const choice = chooseThread(meta, {
      ancestors: new Map([
        ['c@x', 'T2'],
        ['b@x', 'T1'],
      ]),
      related: ['T3', 'T1'],
    });
    assert.deepEqual(choice, { threadId: 'T1', merge: ['T2', 'T3'], reason: 'reference' });
  });

  it('joins a thread by subject only when the message has no links, is a reply, and is inside the window', () => {
    const candidates = [
      { threadId: 'old', date: at(-30) },
      { threadId: 'recent', date: at(-2) },
      { threadId: 'future', date: at(1) },
    ];
    const reply: ThreadMeta = { messageId: '<r@x>', subject: 'RE: 예산 검토', date: t0 };
    assert.deepEqual(chooseThread(reply, { ancestors: new Map(), sameSubject: candidates }), {
      threadId: 'recent',
      merge: [],
      reason: 'subject',
    });
    const notReply: ThreadMeta = { messageId: '<n@x>', subject: '예산 검토', date: t0 };
    assert.equal(chooseThread(notReply, { ancestors: new Map(), sameSubject: candidates }).threadId, null);
    const tooLate: ThreadMeta = { messageId: '<l@x>', subject: 'RE: 예산 검토', date: at(40) };
    assert.equal(chooseThread(tooLate, { ancestors: new Map(), sameSubject: candidates }).reason, 'new');
    const linked: ThreadMeta = {
      messageId: '<k@x>',
      inReplyTo: '<unknown@x>',
      subject: 'RE: 예산 검토',
      date: t0,
    };
    assert.equal(chooseThread(linked, { ancestors: new Map(), sameSubject: candidates }).reason, 'new');
  });

  it('starts a new thread when nothing is known', () => {
    assert.deepEqual(
      chooseThread({ messageId: '<a@x>', subject: '회의', date: t0 }, { ancestors: new Map() }),
      {
        threadId: null,
        merge: [],
        reason: 'new',
      },
    );
  });
});

/** A conversation with branches, a missing parent and a reply that cites only the missing parent. */
const corpus: ThreadMeta[] = [
  { messageId: '<root@a>', subject: '3월 정기회의 안내', date: at(0) },
  {
    messageId: '<r1@b>',
    inReplyTo: '<root@a>',
    references: '<root@a>',
    subject: 'RE: 3월 정기회의 안내',
    date: at(1),
  },
  { messageId: '<r2@c>', references: '<root@a> <r1@b>', subject: '회신: 3월 정기회의 안내', date: at(2) },
  { messageId: '<r3@a>', inReplyTo: '<root@a>', subject: 'Re: 3월 정기회의 안내', date: at(2) },
  // Siblings citing a parent we never received.
  { messageId: '<s1@d>', inReplyTo: '<lost@z>', subject: 'RE: 예산', date: at(3) },
  { messageId: '<s2@e>', references: '<lost@z>', subject: '회신: 예산', date: at(4) },
  // Unrelated messages with the same subject, not replies.
  { messageId: '<n1@f>', subject: '공지', date: at(0) },
  { messageId: '<n2@f>', subject: '공지', date: at(5) },
  // Subject fallback: a reply without headers, two days after the original.
  { messageId: '<p0@g>', subject: '출장 보고', date: at(1) },
  { messageId: '<p1@h>', subject: 'FW: 출장 보고', date: at(3) },
  // Same subject text as the thread above but far outside the window.
  { messageId: '<q1@h>', subject: 'RE: 출장 보고', date: at(60) },
  // No Message-ID at all.
  { messageId: null, subject: '메모', date: at(6) },
];

const groups = (keys: readonly (string | number)[]) => {
  const m = new Map<string | number, number[]>();
  keys.forEach((k, i) => {
    m.set(k, [...(m.get(k) ?? []), i]);
  });
  return [...m.values()].map((g) => g.join(',')).sort();
};

/** A tiny in-memory store that threads messages one at a time, as the real store will. */
function threadIncrementally(order: readonly number[], metas: readonly ThreadMeta[]): string[] {
  const stored: { i: number; own: string | null; links: string[]; thread: string }[] = [];
  let next = 0;
  for (const i of order) {
    const meta = metas[i]!;
    const own = normalizeMessageId(meta.messageId);
    const links = messageLinks(meta);
    const ancestors = new Map<string, string>();
    for (const s of stored) if (s.own !== null && links.includes(s.own)) ancestors.set(s.own, s.thread);
    const related = stored
      .filter(
        (s) =>
          (own !== null && (s.links.includes(own) || s.own === own)) ||
          s.links.some((l) => links.includes(l)),
      )
      .map((s) => s.thread);
    const sameSubject = stored
      .filter((s) => subjectKey(metas[s.i]!.subject) === subjectKey(meta.subject))
      .map((s) => ({ threadId: s.thread, date: metas[s.i]!.date }));
    const choice = chooseThread(meta, { ancestors, related, sameSubject });
    const thread = choice.threadId ?? `T${next++}`;
    for (const s of stored) if (choice.merge.includes(s.thread)) s.thread = thread;
    stored.push({ i, own, links, thread });
  }
  const out: string[] = [];
  for (const s of stored) out[s.i] = s.thread;
  return out;
}

describe('threadMessages (batch) and incremental threading', () => {
  it('groups replies, siblings of a lost parent and subject-only replies, and keeps unrelated mail apart', () => {
    assert.deepEqual(groups(threadMessages(corpus)), ['0,1,2,3', '10', '11', '4,5', '6', '7', '8,9'].sort());
  });

  it('gives the same grouping whatever order the messages arrive in (reference links)', () => {
    // Subject fallback depends on arrival order by design (it only looks back), so this property is
    // checked on the messages that thread by references.
    const linked = corpus.slice(0, 6);
    const expected = groups(threadMessages(linked));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round++) {
      const order = linked.map((_, i) => i).sort(() => random() - 0.5);
      assert.deepEqual(groups(threadIncrementally(order, linked)), expected, `order ${order.join(',')}`);
    }
  });

  it('matches the batch result when mail arrives in date order, subject fallback included', () => {
    const order = corpus.map((_, i) => i).sort((a, b) => +corpus[a]!.date - +corpus[b]!.date || a - b);
    assert.deepEqual(groups(threadIncrementally(order, corpus)), groups(threadMessages(corpus)));
  });
});
