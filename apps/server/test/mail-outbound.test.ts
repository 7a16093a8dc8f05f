import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { createDb, type OutboundFailure } from '@gongjik/db';
import { forEachDatabase } from '@gongjik/db/testing';
import { manualClock } from '../src/clock.ts';
import type { Db } from '../src/domain/db.ts';
import {
  type Bouncer,
  claimOutbound,
  type Deliverer,
  type DeliveryResult,
  enqueueOutbound,
  type RetryPolicy,
  retryDelayMs,
  settleOutbound,
} from '../src/domain/mail/outbound.ts';
import { drainOutbound, type OutboundWorkerDeps } from '../src/domain/mail/outbound-worker.ts';
import { START, seedPerson } from './helpers.ts';

const policy: RetryPolicy = { baseDelayMs: 60_000, factor: 2, maxDelayMs: 3_600_000, maxAttempts: 3 };
const SHA = 'a'.repeat(64);

it('backs off exponentially and caps the delay', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(policy, n) / 60_000),
    [1, 2, 4, 8, 16, 32, 60, 60],
  );
});

async function queue(db: Db, recipients: string[], now = new Date(START)) {
  const p = await seedPerson(db);
  const ids = await enqueueOutbound(
    db,
    {
      accountId: p.accountId!,
      sentEntryId: null,
      headerMessageId: '<m@korea.kr>',
      rawSha256: SHA,
      mailFrom: `${p.mailId}@korea.kr`,
      recipients,
    },
    now,
  );
  return { ...p, ids };
}

function workerDeps(
  db: Db,
  clock: ReturnType<typeof manualClock>,
  deliverer: Deliverer,
  bounce: Bouncer,
): OutboundWorkerDeps {
  return {
    db,
    clock,
    deliverer,
    bounce,
    openBlob: () => Readable.from([Buffer.from('Subject: x\r\n\r\nbody\r\n')]),
    policy,
    leaseMs: 600_000,
    batch: 3,
  };
}

const noBounce: Bouncer = async () => null;

forEachDatabase('outbound queue', (suite) => {
  it('queues one row per recipient domain, due at once', async () => {
    const q = await queue(suite.db, ['a@example.com', 'b@example.com', 'c@example.org']);
    const rows = await suite.db.selectFrom('mail_outbound').selectAll().where('id', 'in', q.ids).execute();
    assert.deepEqual(rows.map((r) => [r.domain, r.recipients]).sort(), [
      ['example.com', ['a@example.com', 'b@example.com']],
      ['example.org', ['c@example.org']],
    ]);
    assert.ok(rows.every((r) => r.state === 'queued' && r.attempts === 0));
  });

  it('never lets two workers deliver the same row (SKIP LOCKED claims, separate connections)', async () => {
    const clock = manualClock('2030-01-01T00:00:00Z');
    const q = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        queue(suite.db, [`r${i}@d${i}.example.com`], new Date('2029-12-31T00:00:00Z')),
      ),
    );
    const ids = new Set(q.flatMap((x) => x.ids));
    // A second process: its own connection pool on the same database (PGlite has one session).
    const other =
      suite.kind === 'postgres'
        ? await createDb({ url: suite.handle.url!, schema: suite.handle.schema!, poolSize: 4 })
        : null;
    const deliveries = new Map<string, number>();
    const deliverer: Deliverer = {
      async deliver(job) {
        if (!ids.has(job.id)) return { accepted: job.recipients, refused: [] };
        deliveries.set(job.id, (deliveries.get(job.id) ?? 0) + 1);
        await tick();
        return { accepted: job.recipients, refused: [] };
      },
    };
    try {
      await Promise.all([
        drainOutbound(workerDeps(suite.db, clock, deliverer, noBounce)),
        drainOutbound(workerDeps(other?.db ?? suite.db, clock, deliverer, noBounce)),
        drainOutbound(workerDeps(other?.db ?? suite.db, clock, deliverer, noBounce)),
      ]);
    } finally {
      await other?.close();
    }
    assert.equal(deliveries.size, ids.size);
    assert.ok(
      [...deliveries.values()].every((n) => n === 1),
      'each row delivered exactly once',
    );
    const rows = await suite.db
      .selectFrom('mail_outbound')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    assert.ok(rows.every((r) => r.state === 'done' && r.attempts === 1 && r.delivered.length === 1));
  });

  it('ends retries at once on a permanent 5xx and bounces, keeps accepted and temporarily refused apart', async () => {
    const now = new Date('2031-01-01T00:00:00Z');
    const q = await queue(suite.db, ['ok@ex.com', 'gone@ex.com', 'busy@ex.com'], now);
    const { token, rows } = await claimOutbound(suite.db, { now, limit: 100, leaseMs: 60_000 });
    const row = rows.find((r) => r.id === q.ids[0])!;
    const bounced: OutboundFailure[][] = [];
    const result: DeliveryResult = {
      accepted: ['ok@ex.com'],
      refused: [
        { address: 'gone@ex.com', permanent: true, reply: '550 5.1.1 no such user', remoteMta: 'mx.ex.com' },
        { address: 'busy@ex.com', permanent: false, reply: '451 4.3.0 try later', remoteMta: 'mx.ex.com' },
      ],
    };
    const out = await settleOutbound(suite.db, row, token, result, {
      now,
      policy,
      bounce: async (_trx, _row, failures) => {
        bounced.push([...failures]);
        return null;
      },
    });
    assert.deepEqual(out.delivered, ['ok@ex.com']);
    assert.deepEqual(out.retrying, ['busy@ex.com']);
    assert.deepEqual(
      bounced.map((b) => b.map((f) => [f.address, f.status])),
      [[['gone@ex.com', '5.1.1']]],
    );
    const after = await suite.db
      .selectFrom('mail_outbound')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.state, 'queued');
    assert.deepEqual(after.recipients, ['busy@ex.com']);
    assert.equal(after.next_attempt_at.getTime(), now.getTime() + 60_000);
    assert.equal(after.claim_token, null);
  });

  it('bounces the remaining recipients after the last attempt (injected clock, no sleeping)', async () => {
    const clock = manualClock('2032-01-01T00:00:00Z');
    const q = await queue(suite.db, ['x@dead.example'], clock.now());
    let attempts = 0;
    const bounced: string[] = [];
    const deliverer: Deliverer = {
      async deliver(job) {
        if (job.id === q.ids[0]) attempts++;
        return {
          accepted: [],
          refused: job.recipients.map((address) => ({
            address,
            permanent: false,
            reply: 'ECONNREFUSED',
            remoteMta: null,
          })),
        };
      },
    };
    const deps = workerDeps(suite.db, clock, deliverer, async (_t, row, failures) => {
      if (row.id === q.ids[0]) bounced.push(...failures.map((f) => f.address));
      return null;
    });
    await drainOutbound(deps);
    assert.equal(attempts, 1);
    await drainOutbound(deps); // not due yet
    assert.equal(attempts, 1);
    clock.advance(60_000);
    await drainOutbound(deps);
    assert.equal(attempts, 2);
    assert.deepEqual(bounced, []);
    clock.advance(120_000);
    await drainOutbound(deps);
    assert.equal(attempts, 3);
    assert.deepEqual(bounced, ['x@dead.example']);
    const row = await suite.db
      .selectFrom('mail_outbound')
      .selectAll()
      .where('id', '=', q.ids[0]!)
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'done');
    assert.equal(row.failed[0]!.status, '5.0.0');
    clock.advance(10 * 3_600_000);
    await drainOutbound(deps);
    assert.equal(attempts, 3, 'a finished row is never tried again');
  });

  it('ignores a settle from a worker whose lease was taken over', async () => {
    const now = new Date('2033-01-01T00:00:00Z');
    const q = await queue(suite.db, ['a@ex.com'], now);
    const first = await claimOutbound(suite.db, { now, limit: 100, leaseMs: 1000 });
    const later = new Date(now.getTime() + 2000);
    const second = await claimOutbound(suite.db, { now: later, limit: 100, leaseMs: 1000 });
    const row = first.rows.find((r) => r.id === q.ids[0])!;
    assert.ok(
      second.rows.some((r) => r.id === row.id),
      'an expired lease is claimed again',
    );
    const stale = await settleOutbound(
      suite.db,
      row,
      first.token,
      { accepted: ['a@ex.com'], refused: [] },
      {
        now: later,
        policy,
        bounce: noBounce,
      },
    );
    assert.equal(stale.settled, false);
  });
});
