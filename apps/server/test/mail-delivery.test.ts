import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { SMTPServer } from 'smtp-server';
import { DSN_SUBJECT, dsnBouncer } from '../src/domain/mail/bounce.ts';
import { dkimDnsRecord, ensureDkimKey } from '../src/domain/mail/dkim.ts';
import type { RetryPolicy } from '../src/domain/mail/outbound.ts';
import { drainOutbound, type OutboundWorkerDeps } from '../src/domain/mail/outbound-worker.ts';
import { lazyStream, sendMessage } from '../src/domain/mail/send.ts';
import { smtpDeliverer } from '../src/domain/mail/smtp-deliver.ts';
import { listMessages } from '../src/domain/mail/store/index.ts';
import { type MailTestServer, mailTestServer, signedInUser } from './mail-send-helpers.ts';

const policy: RetryPolicy = { baseDelayMs: 60_000, factor: 2, maxDelayMs: 3_600_000, maxAttempts: 3 };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A plain SMTP listener on loopback; `refuse` recipients get 550 5.1.1. */
async function listener(refuse: string[] = []) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (refuse.includes(address.address)) {
        const err = Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function worker(t: MailTestServer, port: number): OutboundWorkerDeps {
  return {
    db: t.db,
    clock: t.clock,
    deliverer: smtpDeliverer({
      heloName: 'mail.test.korea.kr',
      // MX lookup injected: every domain's MX is the loopback listener.
      resolveMx: async () => [{ exchange: '127.0.0.1', priority: 10 }],
      port,
      dkimKey: (domain) => ensureDkimKey(t.db, domain, t.clock.now()),
      connectionTimeoutMs: 2000,
      greetingTimeoutMs: 2000,
      socketTimeoutMs: 5000,
    }),
    bounce: dsnBouncer(t.mail),
    openBlob: (sha) => lazyStream(() => t.mail.blobs.open(sha)),
    policy,
    leaseMs: 600_000,
    batch: 10,
  };
}

forEachDatabase('outbound delivery over SMTP', (suite) => {
  it('delivers by MX to a real SMTP listener, DKIM-signed with the domain key (verified)', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const smtp = await listener();
    try {
      await sendMessage(
        suite.db,
        t.mail,
        a.accountId,
        {
          to: ['partner@example.com', 'second@example.com'],
          bcc: ['hidden@example.com'],
          subject: '외부 발송',
          text: '안녕하세요',
        },
        { now: t.clock.now() },
      );
      await drainOutbound(worker(t, smtp.port));
      assert.equal(smtp.received.length, 1, 'one SMTP transaction for the domain');
      const got = smtp.received[0]!;
      assert.equal(got.from, a.address);
      assert.deepEqual(got.to.sort(), ['hidden@example.com', 'partner@example.com', 'second@example.com']);
      const text = got.raw.toString('latin1');
      assert.doesNotMatch(text, /^Bcc:/im, 'Bcc never leaves the server');
      assert.match(text, /^DKIM-Signature: /m);
      const key = await ensureDkimKey(suite.db, 'korea.kr', t.clock.now());
      const record = dkimDnsRecord(key);
      const verdict = await dkimVerify(got.raw, {
        resolver: async (name: string, rr: string) => {
          if (rr === 'TXT' && name === record.name) return [[record.value]];
          throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
        },
      });
      assert.equal(verdict.results[0]?.status.result, 'pass');
      const rows = await suite.db
        .selectFrom('mail_outbound')
        .selectAll()
        .where('account_id', '=', a.accountId)
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.state, r.delivered.length, r.recipients.length]),
        [['done', 3, 0]],
      );
    } finally {
      await smtp.close();
    }
  });

  it('ends at once on a permanent 550 and bounces that recipient, delivering the others', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const smtp = await listener(['gone@example.com']);
    try {
      await sendMessage(
        suite.db,
        t.mail,
        a.accountId,
        { to: ['gone@example.com', 'ok@example.com'], subject: '일부 실패', text: 'x' },
        { now: t.clock.now() },
      );
      await drainOutbound(worker(t, smtp.port));
      assert.deepEqual(smtp.received[0]!.to, ['ok@example.com']);
      const inbox = await inboxOf(t, a.accountId);
      assert.deepEqual(
        inbox.map((m) => m.subject),
        [DSN_SUBJECT],
      );
      const row = await suite.db
        .selectFrom('mail_outbound')
        .selectAll()
        .where('account_id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.attempts, 1, 'no retry after a 5xx');
      assert.equal(row.failed[0]!.status, '5.1.1');
    } finally {
      await smtp.close();
    }
  });

  it('turns delivery to a dead host into a DSN bounce in the sender’s inbox after the last retry', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const port = await closedPort();
    await sendMessage(
      suite.db,
      t.mail,
      a.accountId,
      { to: ['someone@dead.example'], subject: '죽은 서버', text: 'x' },
      { now: t.clock.now() },
    );
    const w = worker(t, port);
    await drainOutbound(w);
    assert.equal((await inboxOf(t, a.accountId)).length, 0, 'a connection failure is retried, not bounced');
    t.clock.advance(60_000);
    await drainOutbound(w);
    assert.equal((await inboxOf(t, a.accountId)).length, 0);
    t.clock.advance(120_000);
    await drainOutbound(w);
    const inbox = await inboxOf(t, a.accountId);
    assert.deepEqual(
      inbox.map((m) => [m.subject, m.from?.address]),
      [[DSN_SUBJECT, 'mailer-daemon@korea.kr']],
    );
    const raw = (await streamText(await t.mail.blobs.open((await rawOf(t, inbox[0]!.id)).sha))).toString();
    assert.match(raw, /^Content-Type: multipart\/report; report-type=delivery-status;/m);
    assert.match(raw, /^Final-Recipient: rfc822; someone@dead\.example$/m);
    assert.match(raw, /^Action: failed$/m);
    assert.match(raw, /^Status: 4\.4\.1$|^Status: 5\.0\.0$/m);
    // It is in the sender's receipts as failed.
    const sent = await suite.db
      .selectFrom('mail_outbound')
      .selectAll()
      .where('account_id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    assert.equal(sent.state, 'done');
    assert.equal(sent.attempts, 3);
    assert.ok(sent.bounce_entry_id);
  });
});

async function inboxOf(t: MailTestServer, accountId: string) {
  const inbox = await t.db
    .selectFrom('mail_folders')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', 'inbox')
    .executeTakeFirstOrThrow();
  return (await listMessages(t.db, accountId, inbox.id)).items;
}

async function rawOf(t: MailTestServer, entryId: string) {
  const r = await t.db
    .selectFrom('mail_entries as e')
    .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
    .select('m.raw_sha256')
    .where('e.id', '=', entryId)
    .executeTakeFirstOrThrow();
  return { sha: r.raw_sha256 };
}

async function streamText(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
