// Webmail test support against the REAL server: an official with a mailbox and a signed-in browser
// session (the server's own createSession, as the sessions test does), and mail delivered through the
// server's real SMTP listener.
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { createSession } from '../../../../server/src/domain/auth/sessions.ts';
import { SmtpClient } from '../../../../server/test/smtp-client.ts';
import type { RealApp } from './real-server.ts';

export interface Official {
  readonly accountId: string;
  readonly address: string;
  readonly realName: string;
}

const agencyMade = new WeakSet<RealApp>();

/** An agency (once per app) and an active official with an account, through the admin API. */
export async function seedOfficial(
  app: RealApp,
  o: { employeeNo: string; realName: string; mailId: string },
): Promise<Official> {
  const call = async (method: string, path: string, body?: object) => {
    const r = await fetch(new URL(path, app.apiUrl), {
      method,
      headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  if (!agencyMade.has(app)) {
    await call('POST', '/api/v1/admin/agencies', { code: '1741000', name: '행정안전부', type: 'central' });
    agencyMade.add(app);
  }
  const r = await call('PUT', `/api/v1/admin/people/${o.employeeNo}`, {
    agencyCode: '1741000',
    realName: o.realName,
    mailId: o.mailId,
  });
  const accountId = (r.person as { account: { id: string } }).account.id;
  // A completed sign-up makes the account active (the sign-up flow has its own browser test).
  await app.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
  return { accountId, address: `${o.mailId}@${app.config.mailDomain}`, realName: o.realName };
}

/** Signs the official in: the session cookie in the browser (what a certificate login leaves). */
export async function signIn(app: RealApp, context: BrowserContext, official: Official): Promise<void> {
  const s = await createSession(app.db, official.accountId, {
    method: 'certificate',
    now: new Date(),
    policy: app.config.sessions,
    ip: '127.0.0.1',
    userAgent: 'test',
  });
  await context.addCookies([
    { name: 'gongjik-session', value: s.token, url: app.origin, httpOnly: true, sameSite: 'Lax' },
  ]);
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const encodedWord = (s: string) => `=?UTF-8?B?${b64(s)}?=`;

export interface TestMail {
  readonly from: { name: string; address: string };
  readonly to: string;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
  readonly date?: Date;
  readonly headers?: readonly string[];
  /** the Message-ID (without <>), generated when absent */
  readonly messageId?: string;
  readonly attachment?: { filename: string; type: string; content: Buffer };
}

/** An RFC 5322 message (CRLF), base64 bodies so any line length is fine. */
export function buildMail(m: TestMail): string {
  const id =
    m.messageId ??
    `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${m.from.address.split('@')[1]}`;
  const head = [
    `From: ${encodedWord(m.from.name)} <${m.from.address}>`,
    `To: <${m.to}>`,
    `Subject: ${encodedWord(m.subject)}`,
    `Message-ID: <${id}>`,
    `Date: ${(m.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    ...(m.headers ?? []),
  ];
  const part = (type: string, body: string) =>
    [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', wrap(b64(body))].join(
      '\r\n',
    );
  const bodies: string[] = [];
  if (m.text !== undefined) bodies.push(part('text/plain', m.text));
  if (m.html !== undefined) bodies.push(part('text/html', m.html));
  if (!m.attachment && bodies.length === 1) return [...head, bodies[0]!].join('\r\n');
  const alt = 'alt-boundary-1';
  const altPart = [
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    '',
    ...bodies.map((b) => `--${alt}\r\n${b}`),
    `--${alt}--`,
  ].join('\r\n');
  if (!m.attachment) return [...head, altPart].join('\r\n');
  const mix = 'mix-boundary-1';
  const a = m.attachment;
  const attach = [
    `Content-Type: ${a.type}; name="${a.filename}"`,
    `Content-Disposition: attachment; filename="${a.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    wrap(a.content.toString('base64')),
  ].join('\r\n');
  return [
    ...head,
    `Content-Type: multipart/mixed; boundary="${mix}"`,
    '',
    `--${mix}`,
    altPart,
    `--${mix}`,
    attach,
    `--${mix}--`,
  ].join('\r\n');
}

function wrap(s: string): string {
  return s.replace(/.{1,76}/g, '$&\r\n').trimEnd();
}

/** Delivers messages through the server's SMTP listener (one connection); asserts each got 250. */
export async function deliver(app: RealApp, mails: readonly TestMail[]): Promise<void> {
  assert.ok(app.smtpPort, 'the server runs its SMTP listener');
  const { client, greeting } = await SmtpClient.connect(app.smtpPort);
  assert.match(greeting, /^220/);
  const ehlo = await client.command('EHLO sender.example.org');
  assert.match(ehlo, /^250/);
  for (const m of mails) {
    const r = await client.send(m.from.address, [m.to], buildMail(m));
    assert.match(r, /^250/, `SMTP refused "${m.subject}": ${r}`);
  }
  await client.quit();
}
