// Mailbox list and Korean search on a generated store (bench/gen-mailbox.ts) in real PostgreSQL.
// Prints {"messages", "listP95Ms", "searchP95Ms", …}. Budgets: first page of a 100k-message folder
// p95 ≤ 30 ms; search p95 ≤ 300 ms (on 1,000,000 messages: --messages 1000000).
//   --messages N (default 200000)  BENCH_DATABASE_URL / TEST_DATABASE_URL (server; a fresh database is made)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDb } from '@gongjik/db';
import pg from 'pg';
import { listMessages } from '../apps/server/src/domain/mail/store/messages.ts';
import { searchMessages } from '../apps/server/src/domain/mail/store/search.ts';
import { generateMailbox } from './gen-mailbox.ts';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '200000' }, keep: { type: 'boolean' } },
});
const baseUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const dbName = `gj_bench_search_${randomBytes(4).toString('hex')}`;
const url = baseUrl.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);

async function admin(statement: string) {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(0.95 * (s.length - 1))]! * 10) / 10;
};

await admin(`CREATE DATABASE ${dbName}`);
const handle = await createDb({ url, poolSize: 4 });
try {
  const gen = await generateMailbox(handle, Number(values.messages));
  const db = handle.db;
  const list: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t = performance.now();
    await listMessages(db, gen.bigAccountId, gen.bigInboxId, { limit: 50 });
    if (i >= 20) list.push(performance.now() - t);
  }
  const queries = [
    '회의',
    '회의록',
    '정기회의',
    '예산 보고서',
    '출장',
    'budget',
    'meet',
    '결재 요청',
    '안전 점검',
    '계약',
  ];
  const search: number[] = [];
  const hits: Record<string, number> = {};
  for (let round = 0; round < 12; round++) {
    for (const q of queries) {
      const t = performance.now();
      const r = await searchMessages(db, gen.bigAccountId, { q, limit: 50 });
      if (round >= 2) search.push(performance.now() - t);
      hits[q] = r.items.length;
    }
  }
  const filtered: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await searchMessages(db, gen.bigAccountId, {
      q: '회의',
      hasAttachments: true,
      unreadOnly: true,
      limit: 50,
    });
    filtered.push(performance.now() - t);
  }
  console.log(
    JSON.stringify({
      messages: gen.messages,
      bigFolderMessages: Math.min(100_000, Math.ceil(gen.messages / 2)),
      listP95Ms: p95(list),
      searchP95Ms: p95(search),
      filteredSearchP95Ms: p95(filtered),
      generateMs: gen.generateMs,
      firstPageHits: hits,
    }),
  );
} finally {
  await handle.close();
  if (!values.keep) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
