// Generates a mail store of N Korean/English messages straight into PostgreSQL (multi-row inserts
// from arrays, not through SMTP): one "big" account whose inbox holds min(100,000, N/2) messages, the
// rest spread over accounts of 1,000. Search vectors are made by search-text.ts, as the store does.
// Usage: node bench/gen-mailbox.ts --messages N [--url postgres://…/db]   (prints JSON)
// The CI never runs the 1,000,000 version: the size is a flag (default 20,000).
// Bulk load as PostgreSQL advises: the secondary indexes of mail_messages and mail_entries are
// dropped first and built again at the end from their own definitions (one sorted build instead
// of a million GIN/B-tree insertions), batches commit with synchronous_commit off (generated data),
// and vectors are made while the previous batch is being inserted.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDb, type DbHandle, migrate } from '@gongjik/db';
import { sql } from 'kysely';
import { createAgency } from '../apps/server/src/domain/directory/agencies.ts';
import { upsertPerson } from '../apps/server/src/domain/directory/people.ts';
import { makeExcerpt, messageSearchVector } from '../apps/server/src/domain/mail/store/deliver.ts';
import { createSystemFolders } from '../apps/server/src/domain/mail/store/folders.ts';

const KO = [
  '회의',
  '회의록',
  '정기회의',
  '예산',
  '보고서',
  '인사',
  '공문',
  '출장',
  '교육',
  '결재',
  '민원',
  '계획',
  '검토',
  '협조',
  '요청',
  '안내',
  '일정',
  '자료',
  '제출',
  '승인',
  '감사',
  '정책',
  '사업',
  '추진',
  '현황',
  '통계',
  '개선',
  '시행',
  '지침',
  '공지',
  '행사',
  '홍보',
  '점검',
  '안전',
  '시설',
  '용역',
  '계약',
  '입찰',
  '평가',
  '성과',
];
const PARTICLES = ['', '는', '을', '를', '의', '에', '에서', '이', '가', '과', '와', '도', '로'];
const EN = [
  'meeting',
  'budget',
  'report',
  'schedule',
  'review',
  'draft',
  'policy',
  'project',
  'minutes',
  'agenda',
  'Q3',
  'KPI',
];

export interface GenResult {
  messages: number;
  bigAccountId: string;
  bigInboxId: string;
  generateMs: number;
  /** of generateMs: building the secondary indexes after the load */
  indexMs: number;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function generateMailbox(handle: DbHandle, total: number, seed = 42): Promise<GenResult> {
  const t0 = performance.now();
  const db = handle.db;
  await migrate(db);
  const now = new Date('2026-03-02T00:00:00Z');
  const ctx = { actor: 'bench', now };
  await createAgency(db, { code: 'GEN', name: '생성기관', type: 'central' }, ctx);
  const big = Math.min(100_000, Math.ceil(total / 2));
  const perOther = 1000;
  const others = Math.ceil((total - big) / perOther);
  const accounts: { id: string; inbox: string; count: number }[] = [];
  for (let i = 0; i <= others; i++) {
    const r = await upsertPerson(
      db,
      `G${i}`,
      { agencyCode: 'GEN', realName: `직원${i}`, mailId: `gen${i}` },
      ctx,
      { mailDomain: 'korea.kr' },
    );
    const id = r.person.account!.id;
    const folders = await createSystemFolders(db, id, { now, quotaBytes: 1024 ** 4 });
    const count = i === 0 ? big : Math.min(perOther, total - big - (i - 1) * perOther);
    if (count > 0) accounts.push({ id, inbox: folders.inbox, count });
  }
  await db.updateTable('accounts').set({ state: 'active' }).execute();
  if (process.env.GEN_PROGRESS)
    console.error(`gen: accounts ready, ${Math.round(performance.now() - t0)} ms`);
  await sql`ALTER TABLE mail_entries DISABLE TRIGGER mail_entries_count_trg`.execute(db);
  // Secondary indexes (not primary keys): dropped now, rebuilt after the load.
  const indexes = (
    await sql<{ name: string; def: string }>`
      SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename IN ('mail_messages', 'mail_entries')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(db)
  ).rows;
  for (const ix of indexes) await sql`DROP INDEX ${sql.ref(ix.name)}`.execute(db);
  const rand = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const words = (n: number) =>
    Array.from({ length: n }, () => (rand() < 0.8 ? pick(KO) + pick(PARTICLES) : pick(EN))).join(' ');
  const BATCH = 5000;
  let made = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  for (const acc of accounts) {
    for (let start = 0; start < acc.count; start += BATCH) {
      const n = Math.min(BATCH, acc.count - start);
      const m = {
        id: [] as string[],
        subject: [] as string[],
        from: [] as string[],
        excerpt: [] as string[],
        at: [] as string[],
        size: [] as number[],
        att: [] as boolean[],
        attJson: [] as string[],
      };
      const e = { id: [] as string[], thread: [] as string[], vector: [] as string[], seen: [] as boolean[] };
      for (let i = 0; i < n; i++) {
        const subject = `${pick(['', 'RE: ', 'FW: ', '[공지] '])}${words(3)} ${2020 + Math.floor(rand() * 7)}`;
        const text = words(40 + Math.floor(rand() * 60));
        const hasAtt = rand() < 0.2;
        const attachments = hasAtt
          ? [
              {
                partId: '2',
                filename: `${pick(KO)}_${pick(['보고서', '회의록', '계획'])}.hwp`,
                contentType: 'application/x-hwp',
                size: 20_000,
                sha256: '0'.repeat(64),
                contentId: null,
                inline: false,
              },
            ]
          : [];
        const from = {
          name: `직원${Math.floor(rand() * 5000)}`,
          address: `user${Math.floor(rand() * 5000)}@korea.kr`,
        };
        const parsed = {
          messageId: null,
          subject,
          from,
          to: [{ name: '', address: 'gen@korea.kr' }],
          cc: [],
          date: null,
          text,
          attachments,
        };
        // Millisecond timestamps (the cursor's precision), spread over two years, newest last.
        const at = new Date(now.getTime() - Math.floor(rand() * 2 * 365 * 86_400_000));
        m.id.push(randomUUID());
        m.subject.push(subject);
        m.from.push(from.address);
        m.excerpt.push(makeExcerpt(text));
        m.at.push(at.toISOString());
        m.size.push(8000 + Math.floor(rand() * 8000));
        m.att.push(hasAtt);
        m.attJson.push(JSON.stringify(attachments));
        e.id.push(randomUUID());
        e.thread.push(randomUUID());
        e.vector.push(messageSearchVector(parsed, acc.id));
        e.seen.push(rand() < 0.7);
      }
      // Insert this batch while the next one is generated (one batch in flight).
      await inFlight;
      inFlight = db.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        await sql`
          INSERT INTO mail_messages (id, raw_sha256, size, subject, from_address, from_name, to_list, received_at,
            has_attachments, attachments, excerpt, created_at)
          SELECT id, repeat('0', 64), size, subject, fa, '', '[{"name":"","address":"gen@korea.kr"}]'::jsonb, at,
            att, aj::jsonb, ex, at
          FROM unnest(${m.id}::uuid[], ${m.size}::bigint[], ${m.subject}::text[], ${m.from}::text[], ${m.at}::timestamptz[],
            ${m.att}::boolean[], ${m.attJson}::text[], ${m.excerpt}::text[]) AS t(id, size, subject, fa, at, att, aj, ex)`.execute(
          trx,
        );
        await sql`
          INSERT INTO mail_entries (id, account_id, folder_id, message_id, thread_id, received_at, size, has_attachments,
            seen, search_vector, created_at)
          SELECT eid, ${acc.id}::uuid, ${acc.inbox}::uuid, mid, tid, at, size, att, seen, vec::tsvector, at
          FROM unnest(${e.id}::uuid[], ${m.id}::uuid[], ${e.thread}::uuid[], ${m.at}::timestamptz[], ${m.size}::bigint[],
            ${m.att}::boolean[], ${e.seen}::boolean[], ${e.vector}::text[]) AS t(eid, mid, tid, at, size, att, seen, vec)`.execute(
          trx,
        );
      });
      made += n;
      if (process.env.GEN_PROGRESS && (made % 100_000 < BATCH || made <= 2 * BATCH))
        console.error(`gen: ${made} messages, ${Math.round((performance.now() - t0) / 1000)} s`);
    }
  }
  await inFlight;
  const tIndex = performance.now();
  await db.connection().execute(async (c) => {
    await sql`SET maintenance_work_mem = '512MB'`.execute(c);
    for (const ix of indexes) await sql.raw(ix.def).execute(c);
  });
  const indexMs = Math.round(performance.now() - tIndex);
  await sql`ALTER TABLE mail_entries ENABLE TRIGGER mail_entries_count_trg`.execute(db);
  await sql`UPDATE mail_folders f SET total_count = c.n, unread_count = c.u
    FROM (SELECT folder_id, count(*)::int AS n, count(*) FILTER (WHERE NOT seen)::int AS u FROM mail_entries GROUP BY 1) c
    WHERE c.folder_id = f.id`.execute(db);
  await sql`UPDATE mailboxes b SET used_bytes = c.s, message_count = c.n
    FROM (SELECT account_id, sum(size)::bigint AS s, count(*)::int AS n FROM mail_entries GROUP BY 1) c
    WHERE c.account_id = b.account_id`.execute(db);
  await sql`ANALYZE`.execute(db);
  return {
    messages: made,
    bigAccountId: accounts[0]!.id,
    bigInboxId: accounts[0]!.inbox,
    generateMs: Math.round(performance.now() - t0),
    indexMs,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { messages: { type: 'string', default: '20000' }, url: { type: 'string' } },
  });
  const url = values.url ?? process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.log(
      JSON.stringify({ skipped: 'give --url postgres://…/<empty database> or BENCH_DATABASE_URL' }),
    );
  } else {
    const handle = await createDb({ url });
    try {
      console.log(JSON.stringify(await generateMailbox(handle, Number(values.messages))));
    } finally {
      await handle.close();
    }
  }
}
