// The REAL Gongjik server for the wallet's browser tests: `startServer` exactly as `gongjik start`
// on its public URL and install links pointing at the wallet's own origin. An organisation is
// seeded through the directory domain (as HR sync would); everything after that — the HR request,
// the head's approval, the SMS outbox — goes through the server's HTTP API.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../server/src/config.ts';
import { createAgency } from '../../../../server/src/domain/directory/agencies.ts';
import { upsertDepartment } from '../../../../server/src/domain/directory/departments.ts';
import { upsertPerson } from '../../../../server/src/domain/directory/people.ts';
import { createHrApiKey } from '../../../../server/src/domain/hr/api-keys.ts';
import { type RunningServer, startServer } from '../../../../server/src/start.ts';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Issuer {
  readonly url: string;
  readonly server: RunningServer;
  readonly adminToken: string;
  readonly hrKey: string;
  call(method: string, path: string, options?: { body?: unknown; auth?: 'admin' | 'hr' }): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { code?: string };
}

export async function startIssuer(options: { walletOrigin: string; webApp?: string }): Promise<Issuer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gongjik-wallet-issuer-'));
  const config = loadConfig(
    {
      GONGJIK_LOG_LEVEL: 'silent',
      GONGJIK_PUBLIC_URL: url,
      GONGJIK_HTTP_PORT: String(port),
      GONGJIK_HTTP_HOST: '127.0.0.1',
      GONGJIK_MID_WALLET_URL: options.walletOrigin,
      // PBKDF2 work factor of the PIN verifier: low in tests (production default 200,000).
      GONGJIK_MID_PIN_ITERATIONS: '1000',
      GONGJIK_MID_STATUS_LIST_SIZE: '4096',
    },
    { dataDir, noDemo: true },
    dataDir,
  );
  const server = await startServer(config);
  const adminToken = readFileSync(server.adminTokenFile, 'utf8').trim();
  const hr = await createHrApiKey(
    server.db.db,
    { system: 'e-saram', label: 'wallet test' },
    {
      actor: 'test',
      now: new Date(),
    },
  );
  const call: Issuer['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.auth === 'admin') headers.authorization = `Bearer ${adminToken}`;
    if (o.auth === 'hr') headers.authorization = `Bearer ${hr.key}`;
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };
  return {
    url,
    server,
    adminToken,
    hrKey: hr.key,
    call,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Official {
  readonly employeeNumber: string;
  readonly name: string;
}

export interface Org {
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly head: Official;
  readonly member: Official;
}

/** An agency that adopted the mobile ID, a department with its head, and an official in it. */
export async function seedOrg(issuer: Issuer): Promise<Org> {
  const db = issuer.server.db.db;
  const u = Math.random().toString(16).slice(2, 8);
  const ctx = { actor: 'test', now: new Date() };
  const agencyCode = `A${u}`;
  const agencyName = '행정안전부';
  await createAgency(db, { code: agencyCode, name: agencyName, type: 'central', mobileIdAdopted: true }, ctx);
  await upsertDepartment(db, agencyCode, 'D1', { name: '디지털안전정책과' }, ctx);
  const person = async (name: string, head: boolean, position: string) => {
    const employeeNumber = `2024${u}${head ? '1' : '2'}`;
    await upsertPerson(
      db,
      employeeNumber,
      {
        agencyCode,
        departmentCode: 'D1',
        realName: name,
        position,
        mobile: '010-1234-5678',
        isDepartmentHead: head,
        mailId: `u${u}${head ? 'h' : 'm'}`,
      },
      ctx,
      { mailDomain: 'korea.kr' },
    );
    return { employeeNumber, name };
  };
  return {
    agencyCode,
    agencyName,
    head: await person('박과장', true, '과장'),
    member: await person('류시원', false, '행정사무관'),
  };
}

/** HR requests a card, the head approves (admin API on the head's behalf): the two SMS of the outbox. */
export async function offerFor(issuer: Issuer, org: Org, who: Official = org.member) {
  const r = await issuer.call('POST', '/api/v1/hr/mobile-id/requests', {
    auth: 'hr',
    body: { employeeNumber: who.employeeNumber },
  });
  if (r.status !== 201) throw new Error(`request failed: ${JSON.stringify(r.body)}`);
  const id = r.body.id as string;
  const a = await issuer.call('POST', `/api/v1/admin/mobile-id/requests/${id}/approve`, {
    auth: 'admin',
    body: { approverEmployeeNumber: org.head.employeeNumber },
  });
  if (a.status !== 200) throw new Error(`approve failed: ${JSON.stringify(a.body)}`);
  const o = await issuer.call(
    'GET',
    `/api/v1/admin/sms-outbox?ref=${encodeURIComponent(`mid-request:${id}`)}`,
    {
      auth: 'admin',
    },
  );
  const messages = o.body.messages as { kind: string; body: string }[];
  const install = messages.find((m) => m.kind === 'mid-install');
  const code = messages.find((m) => m.kind === 'mid-code');
  if (!install || !code) throw new Error(`outbox: ${JSON.stringify(messages)}`);
  return {
    requestId: id,
    installSms: install.body,
    installUrl: /https?:\/\/\S+/.exec(install.body)![0],
    txCode: /\b(\d{6})\b/.exec(code.body)![1]!,
  };
}
