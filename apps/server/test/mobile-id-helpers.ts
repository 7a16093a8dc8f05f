import { MemoryWalletStorage, Wallet } from '@gongjik/mobile-id';
import { createSession, csrfTokenFor } from '../src/domain/auth/sessions.ts';
import type { Db } from '../src/domain/db.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { freePort } from './cli-helpers.ts';
import { activate, type TestServer, testServer, uniq } from './helpers.ts';

export const PIN = '482915';
export const PEPPER = 'test-pepper-test-pepper-test-pepper-0123';

export interface MidServer extends TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A test server listening on 127.0.0.1 with GONGJIK_PUBLIC_URL = its own address. */
export async function midServer(db: Db, env: Record<string, string> = {}): Promise<MidServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await testServer(db, {
    GONGJIK_PUBLIC_URL: url,
    GONGJIK_MID_PIN_PEPPER: PEPPER,
    GONGJIK_MID_PIN_ITERATIONS: '1000',
    GONGJIK_MID_STATUS_LIST_SIZE: '4096',
    GONGJIK_MID_WALLET_URL: 'https://wallet.test.korea.kr',
    ...env,
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, url, close: () => t.app.close() };
}

export interface Member {
  readonly employeeNumber: string;
  readonly personId: string;
  readonly accountId: string;
  /** cookie + CSRF headers of a live portal session */
  readonly session: Record<string, string>;
}

export interface Org {
  readonly agencyCode: string;
  readonly deptCode: string;
  readonly parentCode: string;
  readonly parentHead: Member;
  readonly head: Member;
  readonly member: Member;
  readonly colleague: Member;
}

async function person(
  t: MidServer,
  agencyCode: string,
  departmentCode: string,
  options: { head?: boolean; mobile?: string | null; name?: string } = {},
): Promise<Member> {
  const u = uniq();
  const employeeNumber = `E${u}`;
  const ctx = { actor: 'test', now: t.clock.now() };
  const r = await upsertPerson(
    t.db,
    employeeNumber,
    {
      agencyCode,
      departmentCode,
      realName: options.name ?? '류시원',
      position: '행정사무관',
      mobile: options.mobile === null ? null : (options.mobile ?? '010-1234-5678'),
      isDepartmentHead: options.head ?? false,
      mailId: `u${u}`,
    },
    ctx,
    { mailDomain: 'korea.kr' },
  );
  const accountId = r.person.account!.id;
  await activate(t.db, accountId);
  const s = await createSession(t.db, accountId, {
    method: 'certificate',
    now: t.clock.now(),
    policy: t.config.sessions,
  });
  const personId = (
    await t.db
      .selectFrom('people')
      .select('id')
      .where('employee_number', '=', employeeNumber)
      .executeTakeFirstOrThrow()
  ).id;
  return {
    employeeNumber,
    personId,
    accountId,
    session: { cookie: `gongjik-session=${s.token}`, origin: t.url, 'x-csrf-token': csrfTokenFor(s.token) },
  };
}

/** An agency (adopted unless told) with a parent department (and its head) and a department with a head, a member and a colleague. */
export async function seedOrg(t: MidServer, options: { adopted?: boolean } = {}): Promise<Org> {
  const u = uniq();
  const agencyCode = `A${u}`;
  const ctx = { actor: 'test', now: t.clock.now() };
  await createAgency(
    t.db,
    { code: agencyCode, name: `행정안전부${u}`, type: 'central', mobileIdAdopted: options.adopted ?? true },
    ctx,
  );
  await upsertDepartment(t.db, agencyCode, 'P1', { name: '디지털정부혁신실' }, ctx);
  await upsertDepartment(t.db, agencyCode, 'D1', { name: '디지털안전정책과', parentCode: 'P1' }, ctx);
  return {
    agencyCode,
    deptCode: 'D1',
    parentCode: 'P1',
    parentHead: await person(t, agencyCode, 'P1', { head: true, name: '김실장' }),
    head: await person(t, agencyCode, 'D1', { head: true, name: '박과장' }),
    member: await person(t, agencyCode, 'D1'),
    colleague: await person(t, agencyCode, 'D1', { name: '이주무관' }),
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { code?: string };
  headers: Headers;
}

export async function call(
  t: MidServer,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${t.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const asHr = (t: MidServer) => ({ authorization: `Bearer ${t.hrKey}` });
export const asAdmin = (t: MidServer) => ({ authorization: `Bearer ${t.adminToken}` });

/** HR asks for a card for `employeeNumber`; returns the request id. */
export async function requestCard(t: MidServer, employeeNumber: string): Promise<string> {
  const r = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
    headers: asHr(t),
    body: { employeeNumber },
  });
  if (r.status !== 201) throw new Error(`request failed: ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

/** The two messages of a request in the outbox: the install link, and the one-time code. */
export async function outboxFor(t: MidServer, requestId: string) {
  const r = await call(t, 'GET', `/api/v1/admin/sms-outbox?ref=mid-request:${requestId}`, {
    headers: asAdmin(t),
  });
  const messages = r.body.messages as { kind: string; body: string; to: string; state: string }[];
  const install = messages.find((m) => m.kind === 'mid-install')!;
  const code = messages.find((m) => m.kind === 'mid-code')!;
  const url = /https?:\/\/\S+/.exec(install.body)![0];
  const txCode = /\b(\d{6})\b/.exec(code.body)![1]!;
  return { messages, install, code, url, txCode };
}

/** Request → head approves → the install link and code from the outbox. */
export async function offerFor(t: MidServer, org: Org, who: Member = org.member) {
  const id = await requestCard(t, who.employeeNumber);
  const approver = who === org.head ? org.parentHead : org.head;
  const a = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, {
    headers: approver.session,
    body: {},
  });
  if (a.status !== 200) throw new Error(`approve failed: ${JSON.stringify(a.body)}`);
  return { requestId: id, ...(await outboxFor(t, id)) };
}

export function newWallet(t: MidServer, storage = new MemoryWalletStorage()) {
  return {
    storage,
    wallet: new Wallet({ storage, fetch: (u, i) => fetch(u, i), clock: () => t.clock.now() }),
  };
}
