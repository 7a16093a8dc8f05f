import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { isGongjikError } from '@gongjik/errors';
import type { LightMyRequestResponse } from 'fastify';
import { drainExports } from '../src/domain/mail/export.ts';
import { splitMbox } from '../src/domain/mail/export-format.ts';
import { sendMessage } from '../src/domain/mail/send.ts';
import { storeMessage } from '../src/domain/mail/store/index.ts';
import { json } from './helpers.ts';
import { type MailTestServer, mailTestServer, signedInUser, type User } from './mail-send-helpers.ts';

type Json = Record<string, unknown>;
const body = (r: LightMyRequestResponse) => r.json() as Json & { code?: string };

async function call(
  t: MailTestServer,
  user: User,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    cookies: user.cookies,
    headers: method === 'GET' ? {} : user.write,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
}

async function folderId(t: MailTestServer, user: User, role: string): Promise<string> {
  const r = await call(t, user, 'GET', '/api/v1/folders');
  const f = (body(r).folders as { id: string; role: string | null }[]).find((x) => x.role === role);
  return f!.id;
}

async function list(t: MailTestServer, user: User, role: string) {
  const r = await call(t, user, 'GET', `/api/v1/folders/${await folderId(t, user, role)}/messages`);
  assert.equal(r.statusCode, 200);
  return body(r).items as { id: string; subject: string; flags: { seen: boolean } }[];
}

async function upload(
  t: MailTestServer,
  user: User,
  filename: string,
  bytes: Buffer,
  type = 'application/pdf',
) {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/uploads?filename=${encodeURIComponent(filename)}&type=${encodeURIComponent(type)}`,
    cookies: user.cookies,
    headers: { ...user.write, 'content-type': 'application/octet-stream' },
    payload: bytes,
  });
  assert.equal(r.statusCode, 201, r.body);
  return body(r).id as string;
}

forEachDatabase('mail send API', (suite) => {
  it('delivers to an internal recipient in the same transaction as the Sent copy', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const b = await signedInUser(t, '김민준');
    const r = await call(t, a, 'POST', '/api/v1/messages', {
      to: [`김민준 <${b.address}>`],
      subject: '3월 정기회의 안내',
      text: '회의는 10시입니다.',
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.deepEqual(body(r).recipients, [{ address: b.address, status: 'delivered' }]);
    assert.deepEqual(
      (await list(t, a, 'sent')).map((m) => [m.subject, m.flags.seen]),
      [['3월 정기회의 안내', true]],
    );
    assert.deepEqual(
      (await list(t, b, 'inbox')).map((m) => [m.subject, m.flags.seen]),
      [['3월 정기회의 안내', false]],
    );
    // One transaction: when the caller's transaction fails afterwards, neither copy exists.
    const c = await signedInUser(t, '박서준');
    await assert.rejects(
      suite.db.transaction().execute(async (trx) => {
        const sent = await sendMessage(
          trx,
          t.mail,
          a.accountId,
          { to: [c.address], subject: 'rollback' },
          {
            now: t.clock.now(),
          },
        );
        assert.ok(sent.id);
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal((await list(t, c, 'inbox')).length, 0);
    assert.ok(!(await list(t, a, 'sent')).some((m) => m.subject === 'rollback'));
  });

  it('queues external recipients (one row per domain) and wakes the worker', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const r = await call(t, a, 'POST', '/api/v1/messages', {
      to: ['partner@example.com'],
      cc: ['other@example.org'],
      subject: 'external',
      text: 'hello',
    });
    assert.equal(r.statusCode, 201, r.body);
    const rows = await suite.db
      .selectFrom('mail_outbound')
      .selectAll()
      .where('sent_entry_id', '=', body(r).id as string)
      .execute();
    assert.deepEqual(rows.map((x) => [x.domain, x.recipients, x.mail_from, x.state]).sort(), [
      ['example.com', ['partner@example.com'], a.address, 'queued'],
      ['example.org', ['other@example.org'], a.address, 'queued'],
    ]);
    assert.equal(t.mail.kicks.outbound, 1);
  });

  it('refuses CR/LF in the subject or an address with ERR_MAIL_HEADER_INJECTION, and an unknown local recipient', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    for (const payload of [
      { to: ['x@example.com'], subject: '회의\r\nBcc: spy@evil.example' },
      { to: ['x@example.com\r\nRCPT TO:<spy@evil.example>'], subject: 'x' },
      { to: [{ name: '홍길동\nX-Evil: 1', address: 'x@example.com' }], subject: 'x' },
    ]) {
      const r = await call(t, a, 'POST', '/api/v1/messages', payload);
      assert.equal(r.statusCode, 400);
      assert.equal(body(r).code, 'ERR_MAIL_HEADER_INJECTION');
    }
    const r = await call(t, a, 'POST', '/api/v1/messages', { to: ['nobody-here@korea.kr'], subject: 'x' });
    assert.equal(body(r).code, 'ERR_MAIL_RECIPIENT_UNKNOWN');
    assert.equal(
      await suite.db
        .selectFrom('mail_outbound')
        .select('id')
        .where('account_id', '=', a.accountId)
        .executeTakeFirst(),
      undefined,
      'nothing was queued',
    );
  });

  it('answers 404 for another account’s message, folder, attachment, upload, draft and export', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const up = await upload(t, a, '보고서.pdf', Buffer.from('%PDF-1.4 test'));
    const sent = await call(t, a, 'POST', '/api/v1/messages', {
      to: [a.address],
      subject: 'mine',
      text: 'x',
      attachments: [{ uploadId: up }],
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const messageId = body(sent).id as string;
    const detail = body(await call(t, a, 'GET', `/api/v1/messages/${messageId}`));
    const partId = (detail.attachments as { partId: string }[])[0]!.partId;
    const draft = body(await call(t, a, 'POST', '/api/v1/drafts', { subject: 'draft' }));
    const exp = body(await call(t, a, 'POST', '/api/v1/exports', { format: 'mbox' }));
    const sentFolder = await folderId(t, a, 'sent');
    const attempts: [string, string, unknown?][] = [
      ['GET', `/api/v1/messages/${messageId}`],
      ['GET', `/api/v1/messages/${messageId}/raw`],
      ['GET', `/api/v1/messages/${messageId}/attachments/${partId}`],
      ['GET', `/api/v1/messages/${messageId}/receipts`],
      ['POST', `/api/v1/messages/${messageId}/recall`],
      ['POST', '/api/v1/messages/flags', { ids: [messageId], flags: { seen: true } }],
      ['POST', '/api/v1/messages/delete', { ids: [messageId] }],
      ['GET', `/api/v1/folders/${sentFolder}/messages`],
      ['PATCH', `/api/v1/folders/${sentFolder}`, { name: 'x' }],
      ['GET', `/api/v1/drafts/${draft.id}`],
      ['DELETE', `/api/v1/drafts/${draft.id}`],
      ['GET', `/api/v1/exports/${exp.id}`],
      ['POST', '/api/v1/messages', { to: [b.address], subject: 'x', attachments: [{ uploadId: up }] }],
      ['POST', '/api/v1/messages', { to: [b.address], subject: 'x', attachments: [{ messageId, partId }] }],
      ['POST', '/api/v1/messages', { to: [b.address], subject: 'x', inReplyTo: messageId }],
    ];
    for (const [method, url, payload] of attempts) {
      const r = await call(t, b, method as 'GET', url, payload);
      assert.equal(r.statusCode, 404, `${method} ${url} → ${r.statusCode} ${r.body}`);
    }
    // and they are all still there for their owner
    assert.equal((await call(t, a, 'GET', `/api/v1/messages/${messageId}`)).statusCode, 200);
  });

  it('shows receipts: delivered, then read at the first open by the recipient', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const sent = body(
      await call(t, a, 'POST', '/api/v1/messages', { to: [b.address], subject: '수신확인', text: 'x' }),
    );
    const receipts = async () =>
      body(await call(t, a, 'GET', `/api/v1/messages/${sent.id}/receipts`)).recipients as Json[];
    assert.deepEqual(
      (await receipts()).map((r) => [r.address, r.state, r.readAt]),
      [[b.address, 'delivered', null]],
    );
    const inbox = await list(t, b, 'inbox');
    t.clock.advance(60_000);
    assert.equal((await call(t, b, 'GET', `/api/v1/messages/${inbox[0]!.id}`)).statusCode, 200);
    t.clock.advance(60_000);
    await call(t, b, 'GET', `/api/v1/messages/${inbox[0]!.id}`);
    const [r] = await receipts();
    assert.equal(r!.state, 'read');
    assert.equal(
      r!.readAt,
      new Date(Date.parse('2026-03-02T01:01:00Z')).toISOString(),
      'the first open counts',
    );
  });

  it('recalls from recipients who have not opened the message, keeps read copies, and audits it', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const reader = await signedInUser(t);
    const unread = await signedInUser(t);
    const sent = body(
      await call(t, a, 'POST', '/api/v1/messages', {
        to: [reader.address, unread.address, 'outside@example.com'],
        subject: '발송취소 시험',
        text: 'x',
      }),
    );
    const readCopy = (await list(t, reader, 'inbox'))[0]!;
    await call(t, reader, 'GET', `/api/v1/messages/${readCopy.id}`);
    const unreadCopy = (await list(t, unread, 'inbox'))[0]!;
    const r = await call(t, a, 'POST', `/api/v1/messages/${sent.id}/recall`);
    assert.equal(r.statusCode, 200, r.body);
    const outcomes = Object.fromEntries(
      (body(r).recipients as { address: string; outcome: string }[]).map((x) => [x.address, x.outcome]),
    );
    assert.deepEqual(outcomes, {
      [reader.address]: 'already-read',
      [unread.address]: 'recalled',
      'outside@example.com': 'not-recallable',
    });
    assert.equal((await call(t, unread, 'GET', `/api/v1/messages/${unreadCopy.id}`)).statusCode, 404);
    assert.equal((await list(t, unread, 'inbox')).length, 0);
    assert.equal((await call(t, reader, 'GET', `/api/v1/messages/${readCopy.id}`)).statusCode, 200);
    const again = body(await call(t, a, 'POST', `/api/v1/messages/${sent.id}/recall`));
    assert.equal(
      (again.recipients as { outcome: string }[]).filter((x) => x.outcome === 'recalled').length,
      0,
    );
    const audit = await suite.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'mail.recall')
      .where('target', '=', `message:${sent.id}`)
      .execute();
    assert.equal(audit.length, 2);
    assert.equal(audit[0]!.actor, `account:${a.accountId}`);
    assert.equal((audit[0]!.details as Json).recalled, 1);
  });

  it('serves HTML sanitized, cid: images as attachment URLs, remote images only on request through the proxy', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);
    const up = await upload(t, a, 'logo.png', png, 'image/png');
    await call(t, a, 'POST', '/api/v1/messages', {
      to: [a.address],
      subject: 'html',
      html: '<p onclick="x()">안녕<img src="cid:logo"></p>',
      attachments: [{ uploadId: up, cid: 'logo' }],
    });
    const inbox = await list(t, a, 'inbox');
    const m = body(await call(t, a, 'GET', `/api/v1/messages/${inbox[0]!.id}`));
    assert.match(m.html as string, new RegExp(`src="/api/v1/messages/${inbox[0]!.id}/attachments/[^"]+"`));
    assert.doesNotMatch(m.html as string, /onclick/);
    const att = (m.attachments as { url: string }[])[0]!;
    const dl = await call(t, a, 'GET', att.url);
    assert.equal(dl.statusCode, 200);
    assert.deepEqual(dl.rawPayload, png);
    assert.equal(dl.headers['x-content-type-options'], 'nosniff');
    assert.match(String(dl.headers['content-security-policy']), /^sandbox/);
    assert.match(String(dl.headers['content-disposition']), /filename\*=UTF-8''logo\.png/);

    // A received message with a tracking pixel: blocked by default, through the proxy on request.
    const raw = Buffer.from(
      'From: a@example.com\r\nTo: x@korea.kr\r\nSubject: pixel\r\nMessage-ID: <p1@example.com>\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
        '<p>hi<img src="https://images.example.com/t.gif"><script>alert(1)</script></p>\r\n',
    );
    const blob = await t.mail.blobs.put(raw);
    const stored = await storeMessage(suite.db, {
      blob,
      parsed: {
        messageId: '<p1@example.com>',
        subject: 'pixel',
        from: { name: '', address: 'a@example.com' },
        to: [],
        cc: [],
        date: null,
        text: 'hi',
        attachments: [],
      },
      recipients: [a.accountId],
      external: true,
      now: t.clock.now(),
    });
    const entry = stored.deliveries[0]!.entryId;
    const blocked = body(await call(t, a, 'GET', `/api/v1/messages/${entry}`));
    assert.equal(blocked.blockedRemote, 1);
    assert.equal(blocked.externalSender, true);
    assert.doesNotMatch(blocked.html as string, /images\.example\.com|script/);
    const shown = body(await call(t, a, 'GET', `/api/v1/messages/${entry}?images=1`));
    assert.match(
      shown.html as string,
      /src="\/api\/v1\/proxy\/image\?url=https%3A%2F%2Fimages\.example\.com%2Ft\.gif"/,
    );
  });

  it('downloads attachments with an RFC 5987 Korean file name, as opaque bytes', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const up = await upload(
      t,
      a,
      '회의록 "최종".html',
      Buffer.from('<script>alert(1)</script>'),
      'text/html',
    );
    await call(t, a, 'POST', '/api/v1/messages', {
      to: [a.address],
      subject: 'f',
      text: 'x',
      attachments: [{ uploadId: up }],
    });
    const inbox = await list(t, a, 'inbox');
    const m = body(await call(t, a, 'GET', `/api/v1/messages/${inbox[0]!.id}`));
    const dl = await call(t, a, 'GET', (m.attachments as { url: string }[])[0]!.url);
    assert.equal(dl.headers['content-type'], 'application/octet-stream');
    assert.match(
      String(dl.headers['content-disposition']),
      /^attachment; filename="[ -~]+"; filename\*=UTF-8''%ED%9A%8C/,
    );
    const raw = await call(t, a, 'GET', `/api/v1/messages/${inbox[0]!.id}/raw`);
    assert.equal(raw.headers['content-type'], 'message/rfc822');
    assert.match(raw.body, /^From: /m);
  });

  it('refuses an upload over the size limit while streaming', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const big = Buffer.alloc(t.mail.settings.maxUploadBytes + 1);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?filename=big.bin',
      cookies: a.cookies,
      headers: { ...a.write, 'content-type': 'application/octet-stream' },
      payload: big,
    });
    assert.equal(r.statusCode, 413);
    assert.equal(json(r).code, 'ERR_MAIL_ATTACHMENT_TOO_LARGE');
  });

  it('saves, updates (with a version check), sends and deletes drafts', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const d = body(
      await call(t, a, 'POST', '/api/v1/drafts', { subject: '초안', text: '작성 중', bcc: [b.address] }),
    );
    assert.equal(d.version, 1);
    assert.deepEqual(
      (await list(t, a, 'drafts')).map((m) => m.subject),
      ['초안'],
    );
    const d2 = body(
      await call(t, a, 'PUT', `/api/v1/drafts/${d.id}`, { subject: '초안 2', to: [b.address], version: 1 }),
    );
    assert.equal(d2.version, 2);
    assert.deepEqual(
      (await list(t, a, 'drafts')).map((m) => m.subject),
      ['초안 2'],
    );
    const stale = await call(t, a, 'PUT', `/api/v1/drafts/${d.id}`, { subject: 'old tab', version: 1 });
    assert.equal(body(stale).code, 'ERR_MAIL_DRAFT_CONFLICT');
    const sent = await call(t, a, 'POST', '/api/v1/messages', {
      to: [b.address],
      subject: '초안 2',
      text: 'x',
      draftId: d.id,
    });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal((await list(t, a, 'drafts')).length, 0);
    assert.equal((await call(t, a, 'GET', `/api/v1/drafts/${d.id}`)).statusCode, 404);
  });

  it('keeps threads: a reply carries In-Reply-To/References and joins the conversation', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    await call(t, a, 'POST', '/api/v1/messages', { to: [b.address], subject: '예산 회의', text: 'x' });
    const original = (await list(t, b, 'inbox'))[0]!;
    t.clock.advance(60_000);
    const reply = await call(t, b, 'POST', '/api/v1/messages', {
      to: [a.address],
      subject: 'RE: 예산 회의',
      text: '참석합니다',
      inReplyTo: original.id,
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const inA = await list(t, a, 'inbox');
    const detail = body(await call(t, a, 'GET', `/api/v1/messages/${inA[0]!.id}`));
    const thread = body(await call(t, a, 'GET', `/api/v1/threads/${detail.threadId}`)).items as {
      subject: string;
    }[];
    assert.deepEqual(
      thread.map((m) => m.subject),
      ['예산 회의', 'RE: 예산 회의'],
    );
    const orig = body(await call(t, b, 'GET', `/api/v1/messages/${original.id}`));
    assert.equal((orig.flags as { answered: boolean }).answered, true);
  });

  it('exports every message as mboxrd and as a zip of .eml files in the folder tree, with progress', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    const subjects = ['첫째 From line', '둘째', '셋째'];
    for (const s of subjects) {
      await call(t, a, 'POST', '/api/v1/messages', {
        to: [a.address],
        subject: s,
        text: `From here\n본문 ${s}`,
      });
      t.clock.advance(1000);
    }
    const job = body(await call(t, a, 'POST', '/api/v1/exports', { format: 'mbox' }));
    assert.equal(job.total, 6, 'three in Sent, three in the inbox');
    assert.equal((await call(t, a, 'POST', '/api/v1/exports', { format: 'zip' })).statusCode, 409);
    await drainExports({
      db: suite.db,
      mail: t.mail,
      now: () => t.clock.now(),
      leaseMs: 60_000,
      progressEvery: 1,
    });
    const done = body(await call(t, a, 'GET', `/api/v1/exports/${job.id}`));
    assert.deepEqual([done.state, done.done, done.total], ['done', 6, 6]);
    const dl = await call(t, a, 'GET', `/api/v1/exports/${job.id}/download`);
    assert.equal(dl.statusCode, 200);
    const messages = splitMbox(dl.body);
    assert.equal(messages.length, 6);
    const ids = (
      await suite.db
        .selectFrom('mail_entries as e')
        .innerJoin('mail_messages as m', 'm.id', 'e.message_id')
        .select('m.header_message_id')
        .where('e.account_id', '=', a.accountId)
        .execute()
    ).map((r) => `<${r.header_message_id}>`);
    const exported = messages.map((m) => /^Message-ID: (<[^>]+>)$/m.exec(m.body)?.[1]);
    assert.deepEqual(exported.sort(), ids.sort(), 'every message, each once per folder');
    assert.ok(messages.every((m) => m.fromLine.startsWith(`From ${a.address} `)));
    const zipJob = body(await call(t, a, 'POST', '/api/v1/exports', { format: 'zip' }));
    await drainExports({ db: suite.db, mail: t.mail, now: () => t.clock.now(), leaseMs: 60_000 });
    const zip = await call(t, a, 'GET', `/api/v1/exports/${zipJob.id}/download`);
    assert.equal(zip.headers['content-type'], 'application/zip');
    const dir = mkdtempSync(join(tmpdir(), 'gj-zip-'));
    writeFileSync(join(dir, 'x.zip'), zip.rawPayload);
    execFileSync('unzip', ['-q', '-o', join(dir, 'x.zip'), '-d', join(dir, 'out')]);
    const names = execFileSync('find', [join(dir, 'out'), '-name', '*.eml'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((p) => p.slice(join(dir, 'out').length + 1))
      .sort();
    assert.equal(names.length, 6);
    assert.equal(names.filter((n) => n.startsWith('받은편지함/')).length, 3);
    assert.equal(names.filter((n) => n.startsWith('보낸편지함/')).length, 3);
    const eml = execFileSync('cat', [join(dir, 'out', names[0]!)], { encoding: 'utf8' });
    assert.match(eml, /^Message-ID: </m);
    assert.match(eml, /\r\n/, 'the .eml keeps its CRLF line ends');
  });

  it('refuses a private address in the image proxy', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    for (const url of [
      'http://127.0.0.1/a.png',
      'http://10.0.0.1/a.png',
      'http://169.254.169.254/',
      'http://[::1]/a.png',
    ]) {
      const r = await call(t, a, 'GET', `/api/v1/proxy/image?url=${encodeURIComponent(url)}`);
      assert.equal(r.statusCode, 403);
      assert.equal(body(r).code, 'ERR_MAIL_REMOTE_ADDRESS_REFUSED');
    }
    const anon = await t.app.inject({
      method: 'GET',
      url: '/api/v1/proxy/image?url=https://example.com/a.png',
    });
    assert.equal(anon.statusCode, 401, 'not an open proxy');
  });

  it('refuses to send from a read-only (retired) account but still exports it for an administrator', async () => {
    const t = await mailTestServer(suite.db);
    const a = await signedInUser(t);
    await call(t, a, 'POST', '/api/v1/messages', { to: [a.address], subject: 'before', text: 'x' });
    await suite.db.updateTable('accounts').set({ state: 'retired' }).where('id', '=', a.accountId).execute();
    await assert.rejects(
      sendMessage(
        suite.db,
        t.mail,
        a.accountId,
        { to: [a.address], subject: 'after' },
        { now: t.clock.now() },
      ),
      (err: unknown) => isGongjikError(err) && err.code === 'ERR_MAIL_ACCOUNT_READ_ONLY',
    );
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/accounts/${a.accountId}/exports`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { format: 'zip' },
    });
    assert.equal(r.statusCode, 202, r.body);
    await suite.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', a.accountId).execute();
    await suite.db
      .updateTable('mail_exports')
      .set({ state: 'failed' })
      .where('account_id', '=', a.accountId)
      .execute();
    const locked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/accounts/${a.accountId}/exports`,
      headers: { authorization: `Bearer ${t.adminToken}` },
      payload: { format: 'zip' },
    });
    assert.equal(json(locked).code, 'ERR_MAIL_EXPORT_NOT_ALLOWED');
  });
});
