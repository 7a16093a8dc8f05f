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

/** The last query node-postgres sent (text and values): to EXPLAIN exactly what the store ran. */
let last: { text: string; values: unknown[] } = { text: '', values: [] };
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [q, v] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
  if (typeof q === 'string') last = { text: q, values: Array.isArray(v) ? v : [] };
  else if (q && typeof q === 'object' && typeof q.text === 'string')
    last = { text: q.text, values: q.values ?? v ?? [] };
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}
/** EXPLAIN ANALYZE of the last query: its nodes ("Index Scan mail_entries_folder_idx", …) and time. */
async function explainLast(): Promise<{ nodes: string[]; seqScan: boolean; executionMs: number }> {
  const { text, values } = last;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
    const plan = (r.rows[0] as { 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] })[
      'QUERY PLAN'
    ][0]!;
    const nodes: string[] = [];
    const walk = (n: PlanNode) => {
      nodes.push([n['Node Type'], n['Index Name'] ?? n['Relation Name']].filter(Boolean).join(' '));
      for (const k of n.Plans ?? []) walk(k);
    };
    walk(plan.Plan);
    return {
      nodes,
      seqScan: nodes.some((n) => n.startsWith('Seq Scan') && /mail_entries|mail_messages/.test(n)),
      executionMs: Math.round(plan['Execution Time'] * 10) / 10,
    };
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
  // The plans at this size: the folder page and three kinds of search must use the indexes.
  const plans: Record<string, Awaited<ReturnType<typeof explainLast>>> = {};
  await listMessages(db, gen.bigAccountId, gen.bigInboxId, { limit: 50 });
  plans.list = await explainLast();
  for (const q of ['회의', '정기회의', 'budget']) {
    await searchMessages(db, gen.bigAccountId, { q, limit: 50 });
    plans[`search ${q}`] = await explainLast();
  }
  await searchMessages(db, gen.bigAccountId, {
    q: '회의',
    hasAttachments: true,
    unreadOnly: true,
    limit: 50,
  });
  plans['search 회의 filtered'] = await explainLast();
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
      indexMs: gen.indexMs,
      firstPageHits: hits,
      plans,
    }),
  );
} finally {
  await handle.close();
  if (!values.keep) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
