import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { forEachDatabase } from '@gongjik/db/testing';
import { dkimSign } from 'mailauth';
import type { Db } from '../src/domain/db.ts';
import { openFsBlobStore } from '../src/domain/mail/blobs/fs-blob-store.ts';
import { folderIdByRole, getMessage, listMessages, setQuota } from '../src/domain/mail/store/index.ts';
import { type DnsResolver, emptyResolver, tableResolver } from '../src/smtp/authenticate.ts';
import { createSmtpServer, type RunningSmtp, type SmtpSettings } from '../src/smtp/server.ts';
import { ensureSelfSigned } from '../src/smtp/tls.ts';
import { activeAccount } from './mail-store-helpers.ts';
import { SmtpClient, testMessage } from './smtp-client.ts';

const now = new Date('2026-03-02T01:00:00Z');
const settings: SmtpSettings = {
  port: 0,
  host: '127.0.0.1',
  hostname: 'mail.korea.kr',
  maxMessageBytes: 64 * 1024,
  maxRecipients: 10,
  maxConnectionsPerIp: 50,
  messagesPerMinutePerIp: 10_000,
  mailDomain: 'korea.kr',
  defaultQuotaBytes: 1024 ** 3,
};

const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimPublic = dkimKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const resolver = tableResolver({
  'TXT sel._domainkey.example.org': [[`v=DKIM1; k=rsa; p=${dkimPublic}`]],
  'TXT example.org': [['v=spf1 ip4:127.0.0.1 -all']],
  'TXT _dmarc.example.org': [['v=DMARC1; p=reject']],
});

forEachDatabase('inbound SMTP', (suite) => {
  let dir: string;
  let tls: { key: string; cert: string };
  const servers: RunningSmtp[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-smtp-'));
    tls = await ensureSelfSigned(join(dir, 'tls'), 'mail.korea.kr', now);
  });
  after(async () => {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(over: Partial<SmtpSettings> = {}, db: Db = suite.db, dns: DnsResolver = resolver) {
    const blobs = await openFsBlobStore(join(dir, 'blobs'));
    const s = await createSmtpServer({
      db,
      blobs,
      settings: { ...settings, ...over },
      tls,
      resolver: dns,
      now: () => now,
    }).listen();
    servers.push(s);
    return { ...s, blobs };
  }

  async function inboxOf(accountId: string) {
    const inbox = await folderIdByRole(suite.db, accountId, 'inbox', now);
    return (await listMessages(suite.db, accountId, inbox)).items;
  }

  it('accepts mail for an active local account and stores it with its SPF/DKIM/DMARC verdicts', async () => {
    const smtp = await start();
    const a = await activeAccount(suite.db);
    const plain = testMessage({ to: a.address });
    const signed = await dkimSign(plain, {
      signatureData: [
        {
          signingDomain: 'example.org',
          selector: 'sel',
          privateKey: dkimKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
        },
      ],
    } as unknown as Parameters<typeof dkimSign>[1]);
    const message = signed.signatures + plain;
    const { client, greeting } = await SmtpClient.connect(smtp.port);
    assert.match(greeting, /^220 /);
    const ehlo = await client.command('EHLO client.example.org');
    assert.match(ehlo, /SIZE 65536/);
    assert.match(ehlo, /STARTTLS/);
    assert.match(await client.send('hong@example.org', [a.address], message), /^250 /);
    await client.quit();
    const [item] = await inboxOf(a.accountId);
    assert.equal(item!.subject, '3월 정기회의 안내');
    assert.equal(item!.external, true);
    const m = await getMessage(suite.db, a.accountId, item!.id);
    assert.equal(m.auth!.dkim[0]!.result, 'pass');
    assert.equal(m.auth!.spf.result, 'pass');
    assert.equal(m.auth!.dmarc.result, 'pass');
    assert.match(m.auth!.header, /dkim=pass/);
    assert.equal(m.envelope.mailFrom, 'hong@example.org');
    // The blob is the received bytes, after our Received header.
    const chunks: Buffer[] = [];
    for await (const c of await smtp.blobs.open(m.rawSha256)) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    assert.match(raw, /^Received: from client\.example\.org \(\[127\.0\.0\.1\]\)/);
    assert.ok(raw.endsWith(message));
  });

  it('refuses an unknown or inactive recipient with 550 5.1.1', async () => {
    const smtp = await start();
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    await client.command('MAIL FROM:<x@example.org>');
    assert.match(await client.command('RCPT TO:<nobody-here@korea.kr>'), /^550 5\.1\.1 /);
    const pending = await activeAccount(suite.db);
    await suite.db
      .updateTable('accounts')
      .set({ state: 'retired' })
      .where('id', '=', pending.accountId)
      .execute();
    assert.match(await client.command(`RCPT TO:<${pending.address}>`), /^550 5\.1\.1 /);
    await client.quit();
  });

  it('never relays: a foreign domain is refused with 550 5.7.1', async () => {
    const smtp = await start();
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    await client.command('MAIL FROM:<x@korea.kr>');
    assert.match(await client.command('RCPT TO:<victim@gmail.com>'), /^550 5\.7\.1 /);
    assert.match(await client.command('RCPT TO:<"a@korea.kr"@gmail.com>'), /^5\d\d /);
    await client.quit();
  });

  it('refuses a message over SIZE with 552 5.3.4 and stores nothing', async () => {
    const smtp = await start({ maxMessageBytes: 20_000 });
    const a = await activeAccount(suite.db);
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    const big = testMessage({ to: a.address, body: `${'가나다라마바사 '.repeat(2000)}` });
    assert.match(await client.send('x@example.org', [a.address], big), /^552 5\.3\.4 /);
    // The connection is still usable afterwards.
    assert.match(await client.send('x@example.org', [a.address], testMessage({ to: a.address })), /^250 /);
    await client.quit();
    assert.equal((await inboxOf(a.accountId)).length, 1);
  });

  for (const [name, body] of [
    ['bare LF', 'line one\nline two'],
    ['bare CR', 'line one\rline two'],
    ['a smuggled end of data with bare LF', 'hello\n.\nMAIL FROM:<evil@example.org>'],
  ] as const) {
    it(`refuses ${name} in DATA with 554 5.6.0 and stores nothing`, async () => {
      const smtp = await start();
      const a = await activeAccount(suite.db);
      const { client } = await SmtpClient.connect(smtp.port);
      await client.command('EHLO c.example.org');
      const msg = testMessage({ to: a.address, body });
      assert.match(await client.send('x@example.org', [a.address], msg), /^554 5\.6\.0 /);
      await client.quit();
      assert.equal((await inboxOf(a.accountId)).length, 0);
    });
  }

  it('refuses a full mailbox with 552 5.2.2, at RCPT and at DATA', async () => {
    const smtp = await start();
    const a = await activeAccount(suite.db);
    await setQuota(suite.db, a.accountId, 100, { now });
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    assert.match(
      await client.send('x@example.org', [a.address], testMessage({ to: a.address })),
      /^552 5\.2\.2 /,
    );
    await setQuota(suite.db, a.accountId, 0, { now });
    await client.command('MAIL FROM:<x@example.org>');
    assert.match(await client.command(`RCPT TO:<${a.address}>`), /^552 5\.2\.2 /);
    await client.quit();
    assert.equal((await inboxOf(a.accountId)).length, 0);
  });

  it('limits messages (451 4.7.1) and connections (421) per client address', async () => {
    const smtp = await start({ messagesPerMinutePerIp: 2, maxConnectionsPerIp: 2 });
    const a = await activeAccount(suite.db);
    const first = await SmtpClient.connect(smtp.port);
    await first.client.command('EHLO c.example.org');
    assert.match(
      await first.client.send('x@example.org', [a.address], testMessage({ to: a.address })),
      /^250 /,
    );
    assert.match(
      await first.client.send('x@example.org', [a.address], testMessage({ to: a.address })),
      /^250 /,
    );
    assert.match(await first.client.command('MAIL FROM:<x@example.org>'), /^451 4\.7\.1 /);
    const second = await SmtpClient.connect(smtp.port);
    const third = await SmtpClient.connect(smtp.port);
    assert.match(third.greeting, /^421 /);
    await Promise.all([first.client.quit(), second.client.quit(), third.client.quit()]);
  });

  it('upgrades with STARTTLS and then accepts mail over TLS', async () => {
    const smtp = await start();
    const a = await activeAccount(suite.db);
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    assert.match(await client.starttls(), /^220 /);
    assert.equal(client.encrypted, true);
    assert.match(await client.command('EHLO c.example.org'), /^250/);
    assert.match(await client.send('x@example.org', [a.address], testMessage({ to: a.address })), /^250 /);
    await client.quit();
    const [item] = await inboxOf(a.accountId);
    assert.equal((await getMessage(suite.db, a.accountId, item!.id)).envelope.tls, true);
  });

  const swaks = spawnable('swaks');
  it('a real client (swaks) delivers over STARTTLS and the message shows with its verdicts', {
    skip: swaks ? false : 'swaks is not installed',
  }, async () => {
    const smtp = await start();
    const a = await activeAccount(suite.db);
    const { stdout, stderr } = await promisify(execFile)('swaks', [
      '--server',
      '127.0.0.1',
      '--port',
      String(smtp.port),
      '--tls',
      '--ehlo',
      'swaks.example.org',
      '--from',
      'hong@example.org',
      '--to',
      a.address,
      '--header',
      'Subject: swaks 회의록',
      '--body',
      '회의록을 보냅니다.',
    ]);
    assert.match(stdout + stderr, /<~ +250 2\.0\.0 OK queued/);
    const [item] = await inboxOf(a.accountId);
    const m = await getMessage(suite.db, a.accountId, item!.id);
    assert.equal(m.envelope.tls, true);
    assert.equal(m.auth!.spf.result, 'pass'); // 127.0.0.1 is in example.org's SPF record (fake resolver)
    assert.deepEqual(
      m.auth!.dkim.map((d) => d.result),
      ['none'],
    );
    assert.equal(m.auth!.dmarc.result, 'pass');
  });

  it('answers 4xx, never 250, when the database is down', async () => {
    const down = await suite.fresh();
    const a = await activeAccount(down.db);
    const smtp = await start({}, down.db, emptyResolver);
    const { client } = await SmtpClient.connect(smtp.port);
    await client.command('EHLO c.example.org');
    await client.command('MAIL FROM:<x@example.org>');
    assert.match(await client.command(`RCPT TO:<${a.address}>`), /^250 /);
    await client.command('DATA');
    await down.close();
    client.write(`${testMessage({ to: a.address })}\r\n.\r\n`);
    assert.match(await client.reply(), /^4\d\d 4\.3\.0 /);
    assert.match(await client.command('MAIL FROM:<x@example.org>'), /^250 /);
    assert.match(await client.command(`RCPT TO:<${a.address}>`), /^451 4\.3\.0 /);
    await client.quit();
  });
});

function spawnable(cmd: string): boolean {
  try {
    return spawnSync(cmd, ['--version']).status === 0;
  } catch {
    return false;
  }
}
