// Two Gongjik instances (korea.kr and other.go.kr), each with its own database, blob store and
// inbound SMTP on loopback, exchange mail through their outbound queues.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { createSession, csrfTokenFor } from '../src/domain/auth/sessions.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import { freePort } from './cli-helpers.ts';

interface Instance {
  server: RunningServer;
  domain: string;
  user: { address: string; cookies: Record<string, string>; write: Record<string, string> };
}

async function instance(
  domain: string,
  smtpPort: number,
  peerPort: number,
  mailId: string,
): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), `gj-${domain}-`));
  const config = loadConfig(
    {
      GONGJIK_LOG_LEVEL: 'silent',
      GONGJIK_MAIL_DOMAIN: domain,
      GONGJIK_SMTP_DNS: 'none',
      GONGJIK_SMTP_HOSTNAME: `mail.${domain}`,
      GONGJIK_SMARTHOST: `127.0.0.1:${peerPort}`,
    },
    { dataDir: join(dir, 'data'), port: 0, smtpPort, noDemo: true },
  );
  const server = await startServer(config);
  const db = server.db.db;
  const now = new Date();
  const ctx = { actor: 'test', now };
  await createAgency(db, { code: `A-${mailId}`, name: '행정안전부', type: 'central' }, ctx);
  const p = await upsertPerson(
    db,
    `E-${mailId}`,
    { agencyCode: `A-${mailId}`, realName: '류시원', mailId },
    ctx,
    { mailDomain: domain },
  );
  const accountId = p.person.account!.id;
  await db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
  const s = await createSession(db, accountId, { method: 'certificate', now, policy: config.sessions });
  return {
    server,
    domain,
    user: {
      address: `${mailId}@${domain}`,
      cookies: { [config.sessions.secureCookie ? '__Host-gongjik-session' : 'gongjik-session']: s.token },
      write: { origin: config.publicOrigin, 'x-csrf-token': csrfTokenFor(s.token) },
    },
  };
}

async function inbox(i: Instance) {
  const folders = await i.server.app.inject({
    method: 'GET',
    url: '/api/v1/folders',
    cookies: i.user.cookies,
  });
  const inboxId = (folders.json().folders as { id: string; role: string }[]).find(
    (f) => f.role === 'inbox',
  )!.id;
  const r = await i.server.app.inject({
    method: 'GET',
    url: `/api/v1/folders/${inboxId}/messages`,
    cookies: i.user.cookies,
  });
  return r.json().items as { id: string; subject: string; external: boolean }[];
}

describe('two Gongjik instances exchange mail through the outbound queue', () => {
  let a: Instance;
  let b: Instance;
  before(async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    a = await instance('korea.kr', portA, portB, 'ryusiwon');
    b = await instance('other.go.kr', portB, portA, 'kimminjun');
  });
  after(async () => {
    await a?.server.close();
    await b?.server.close();
  });

  it('delivers korea.kr → other.go.kr over SMTP, DKIM-signed, and the reply comes back in the same thread', async () => {
    const sent = await a.server.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      cookies: a.user.cookies,
      headers: a.user.write,
      payload: { to: [b.user.address], subject: '기관 간 협조 요청', text: '회의 자료를 보내 주십시오.' },
    });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.deepEqual(sent.json().recipients, [{ address: b.user.address, status: 'queued' }]);
    await a.server.mail.drainOutbound();

    const got = await inbox(b);
    assert.deepEqual(
      got.map((m) => [m.subject, m.external]),
      [['기관 간 협조 요청', true]],
    );
    const detail = (
      await b.server.app.inject({
        method: 'GET',
        url: `/api/v1/messages/${got[0]!.id}`,
        cookies: b.user.cookies,
      })
    ).json();
    assert.equal(detail.from.address, a.user.address);
    assert.match(detail.text, /회의 자료를 보내 주십시오/);
    assert.equal(detail.externalSender, true);
    assert.ok(detail.auth, 'inbound verdicts are stored and shown');
    const raw = await b.server.app.inject({
      method: 'GET',
      url: `/api/v1/messages/${got[0]!.id}/raw`,
      cookies: b.user.cookies,
    });
    assert.match(raw.body, /^DKIM-Signature: .*d=korea\.kr/m);

    // The sender sees the external recipient as sent.
    const receipts = await a.server.app.inject({
      method: 'GET',
      url: `/api/v1/messages/${sent.json().id}/receipts`,
      cookies: a.user.cookies,
    });
    assert.deepEqual(
      receipts.json().recipients.map((r: { address: string; state: string }) => [r.address, r.state]),
      [[b.user.address, 'sent']],
    );

    const reply = await b.server.app.inject({
      method: 'POST',
      url: '/api/v1/messages',
      cookies: b.user.cookies,
      headers: b.user.write,
      payload: {
        to: [a.user.address],
        subject: 'RE: 기관 간 협조 요청',
        text: '첨부합니다.',
        inReplyTo: got[0]!.id,
      },
    });
    assert.equal(reply.statusCode, 201, reply.body);
    await b.server.mail.drainOutbound();
    const back = await inbox(a);
    assert.deepEqual(
      back.map((m) => m.subject),
      ['RE: 기관 간 협조 요청'],
    );
    const thread = (
      await a.server.app.inject({
        method: 'GET',
        url: `/api/v1/messages/${back[0]!.id}`,
        cookies: a.user.cookies,
      })
    ).json().threadId;
    const items = (
      await a.server.app.inject({ method: 'GET', url: `/api/v1/threads/${thread}`, cookies: a.user.cookies })
    ).json().items as { subject: string }[];
    assert.deepEqual(
      items.map((m) => m.subject),
      ['기관 간 협조 요청', 'RE: 기관 간 협조 요청'],
      'the reply joins the Sent copy’s thread',
    );
  });
});
