import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { isGongjikError } from '@gongjik/errors';
import pg from 'pg';
import {
  indexTerms,
  MAX_DOCUMENT_TERMS,
  parseSearchQuery,
  scopeTerm,
  searchIndexSql,
  searchMatchSql,
  searchRankSql,
  searchVector,
  searchVectorValueSql,
} from '../src/domain/mail/search-text.ts';

describe('search terms', () => {
  it('indexes overlapping Hangul bigrams plus the run’s last character', () => {
    assert.deepEqual(indexTerms('정기회의'), ['정기', '기회', '회의', '의']);
    assert.deepEqual(indexTerms('회'), ['회']);
  });

  it('lower-cases words, splits on punctuation and script changes, and folds full-width forms', () => {
    assert.deepEqual(indexTerms('Kim@Korea.KR e-mail 2025년 ＡＢＣ'), [
      'kim',
      'korea',
      'kr',
      'e',
      'mail',
      '2025',
      '년',
      'abc',
    ]);
  });

  it('cuts very long words and bounds the number of terms of a document', () => {
    assert.equal(indexTerms('x'.repeat(5000))[0]!.length, 64);
    const huge = Array.from({ length: 30_000 }, (_, i) => `w${i}`).join(' ');
    assert.equal(searchVector({ body: huge }).split(' ').length, MAX_DOCUMENT_TERMS);
  });

  it('turns 회의 into one bigram, 회의록 into two, and one syllable into a prefix', () => {
    assert.equal(parseSearchQuery('회의')!.tsquery, "'회의'");
    assert.equal(parseSearchQuery('회의록')!.tsquery, "'회의' & '의록'");
    assert.equal(parseSearchQuery('회')!.tsquery, "'회':*");
    assert.equal(parseSearchQuery('meet')!.tsquery, "'meet':*");
    assert.equal(parseSearchQuery('"회의 자료" -회계')!.tsquery, "'회의' & '자료' & !('회계')");
  });

  it('returns null for a query with nothing searchable', () => {
    assert.equal(parseSearchQuery('   '), null);
    assert.equal(parseSearchQuery('!!! ...'), null);
  });

  it('refuses an over-long query, too many terms and an exclusion-only query with ERR_MAIL_SEARCH_QUERY_INVALID', () => {
    for (const [q, reason] of [
      ['가'.repeat(257), 'too-long'],
      ['가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자', 'too-many-terms'],
      ['-회계', 'only-exclusions'],
    ] as const) {
      assert.throws(
        () => parseSearchQuery(q),
        (err: unknown) =>
          isGongjikError(err, 'ERR_MAIL_SEARCH_QUERY_INVALID') && err.details.reason === reason,
      );
    }
  });

  it('quotes lexemes so no input can break out of the tsquery syntax', () => {
    const q = parseSearchQuery("a' | b:* & !c\\")!;
    assert.match(q.tsquery, /^'a' & 'b' & 'c'$/);
  });
});

/** A database both PGlite and node-postgres can stand behind. */
interface Db {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function openPglite(): Promise<Db> {
  const db = new PGlite();
  return {
    query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
    close: () => db.close(),
  };
}

async function openPostgres(url: string): Promise<Db> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `search_test_${process.pid}_${Date.now()}`;
  await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  return {
    query: async (sql, params) => (await client.query(sql, params)).rows,
    close: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

interface Sample {
  subject: string;
  from: string;
  body: string;
}

/** ~200 messages: a few that mention 회의 in different forms, the rest built from words that never form it. */
function corpus(): Sample[] {
  const relevant: Sample[] = [
    { subject: '회의는 3시에 시작합니다', from: '김민수 <kim@korea.kr>', body: '참석 부탁드립니다.' },
    { subject: '2025년 정기회의 안내', from: '이영희 <lee@mois.go.kr>', body: '3월 정기회의를 개최합니다.' },
    { subject: '회의록 송부', from: '박철수 <park@korea.kr>', body: '지난주 회의록을 첨부합니다.' },
    { subject: '시설 이용', from: '최지은 <choi@korea.kr>', body: '대회의실 예약 부탁드립니다.' },
    {
      subject: 'Weekly meeting notes',
      from: 'Jane Doe <jane@example.org>',
      body: 'Minutes of the 회의 are attached.',
    },
  ];
  const words = [
    '예산',
    '집행',
    '보고',
    '출장',
    '교육',
    '일정',
    '공문',
    '협조',
    '요청',
    '검토',
    '결과',
    '자료',
    '제출',
    '안내',
    '인사',
    '발령',
    '민원',
    '처리',
    '계획',
    '수립',
    '회계',
    '의회',
    '사회',
    '의견',
    '국정',
    '감사',
    'budget',
    'report',
    'schedule',
    'review',
    'invoice',
    '2024',
    'memo',
  ];
  let seed = 42;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return words[seed % words.length]!;
  };
  const filler: Sample[] = Array.from({ length: 195 }, (_, i) => ({
    subject: `${pick()} ${pick()} ${i}`,
    from: `직원${i} <user${i}@korea.kr>`,
    body: Array.from({ length: 20 }, pick).join(' '),
  }));
  filler[7]!.body += ' Invoice #12345 for 2025 budget';
  return [...relevant, ...filler];
}

function searchSuite(name: string, open: () => Promise<Db>, skip: boolean | string = false) {
  describe(`search over a GIN-indexed tsvector on ${name}`, { skip }, () => {
    let db: Db;
    const samples = corpus();
    const search = async (q: string, account = 1) => {
      const query = parseSearchQuery(q, { scope: [scopeTerm('account', account)] })!;
      const rows = await db.query(
        `SELECT id FROM messages WHERE ${searchMatchSql('search_vector', '$1')} ORDER BY ${searchRankSql('search_vector', '$1')} DESC, id`,
        [query.tsquery],
      );
      return rows.map((r) => Number(r.id));
    };
    /** The same question answered by scanning the text in memory (substring semantics). */
    const oracle = (q: string) =>
      samples
        .map((s, i) => ({ s, id: i + 1 }))
        .filter(({ s }) => `${s.subject} ${s.from} ${s.body}`.toLowerCase().includes(q.toLowerCase()))
        .map(({ id }) => id);

    before(async () => {
      db = await open();
      await db.query(`CREATE TABLE messages (
        id integer PRIMARY KEY, account integer NOT NULL, subject text NOT NULL, search_vector tsvector NOT NULL)`);
      await db.query(searchIndexSql('messages'));
      for (const [i, s] of samples.entries()) {
        const vector = searchVector(
          { subject: s.subject, participants: s.from, body: s.body },
          { scope: [scopeTerm('account', 1)] },
        );
        await db.query(
          `INSERT INTO messages (id, account, subject, search_vector) VALUES ($1, 1, $2, ${searchVectorValueSql('$3')})`,
          [i + 1, s.subject, vector],
        );
      }
      // The same 회의 message in another account: the scope term must keep it out.
      await db.query(
        `INSERT INTO messages (id, account, subject, search_vector) VALUES (1000, 2, '회의', ${searchVectorValueSql('$1')})`,
        [searchVector({ subject: '회의 자료' }, { scope: [scopeTerm('account', 2)] })],
      );
      await db.query('ANALYZE messages');
    });
    after(async () => {
      await db?.close();
    });

    it('finds 회의는, 정기회의, 회의록 and 대회의실 for 회의, and nothing unrelated', async () => {
      const found = await search('회의');
      assert.deepEqual(
        [...found].sort((a, b) => a - b),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        [...found].sort((a, b) => a - b),
        oracle('회의'),
      );
    });

    it('does not confuse 의회 or 회계 with 회의', async () => {
      assert.ok(oracle('의회').length > 0);
      assert.deepEqual(
        (await search('의회')).sort((a, b) => a - b),
        oracle('의회'),
      );
      assert.ok(!(await search('회계')).some((id) => id <= 5));
    });

    it('ranks a subject hit above a body-only hit', async () => {
      const found = await search('회의록');
      assert.deepEqual(found, [3]);
      const meeting = await search('정기회의');
      assert.equal(meeting[0], 2);
    });

    it('ANDs the words of 회의실 예약', async () => {
      assert.deepEqual(await search('회의실 예약'), [4]);
      assert.deepEqual(await search('회의실 출장'), []);
    });

    it('finds English words by prefix, case-insensitively, and numbers', async () => {
      assert.deepEqual(await search('MEET'), [5]);
      assert.deepEqual(await search('meeting notes'), [5]);
      assert.deepEqual(await search('12345'), [13]);
      assert.deepEqual(
        (await search('2025')).sort((a, b) => a - b),
        [2, 13],
      );
      assert.deepEqual(await search('jane@example.org'), [5]);
    });

    it('excludes a word with a leading minus', async () => {
      assert.deepEqual(
        (await search('회의 -정기')).sort((a, b) => a - b),
        [1, 3, 4, 5],
      );
    });

    it('never misses a message that contains the query (bigram AND is a superset of substring)', async () => {
      for (const q of ['예산', '집행', '국정감사', '사회', '의견', '정기회의', '회의록', '보고', '감사']) {
        const found = new Set(await search(q));
        for (const id of oracle(q)) assert.ok(found.has(id), `${q} finds ${id}`);
      }
    });

    it('keeps another account’s messages out through the scope term', async () => {
      assert.ok(!(await search('회의', 1)).includes(1000));
      assert.deepEqual(await search('회의', 2), [1000]);
    });

    it('answers from the GIN index (EXPLAIN, with enable_seqscan off on this tiny table)', async () => {
      // 200 rows fit in a few pages, so the planner rightly prefers a sequential scan; turning it
      // off shows the index can serve the query, which is what matters at 1M rows.
      await db.query('SET enable_seqscan = off');
      const q = parseSearchQuery('회의', { scope: [scopeTerm('account', 1)] })!;
      const plan = (
        await db.query(`EXPLAIN SELECT id FROM messages WHERE ${searchMatchSql('search_vector', '$1')}`, [
          q.tsquery,
        ])
      )
        .map((r) => String(Object.values(r)[0]))
        .join('\n');
      await db.query('SET enable_seqscan = on');
      assert.match(plan, /Bitmap Index Scan on messages_search_vector_idx/);
      assert.doesNotMatch(plan, /Seq Scan/);
    });
  });
}

searchSuite('PGlite', openPglite);
const url = process.env.TEST_DATABASE_URL;
searchSuite('PostgreSQL', () => openPostgres(url!), url ? false : 'TEST_DATABASE_URL is not set');
