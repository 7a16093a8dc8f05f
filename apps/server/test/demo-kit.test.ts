import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { type DemoKit, demoInstaller } from '../src/demo/kit.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import { freePort, gongjik } from './cli-helpers.ts';

describe('the demo kit and gongjik signup/login', () => {
  let dir: string;
  let server: RunningServer;
  let kit: DemoKit;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-demo-'));
    const port = await freePort();
    server = await startServer(
      loadConfig({ GONGJIK_LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), port, smtpPort: 0 }),
      {
        demo: demoInstaller,
      },
    );
    url = `http://localhost:${port}`;
    kit = JSON.parse(readFileSync(join(dir, 'data', 'demo', 'kit.json'), 'utf8'));
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes README.txt and kit.json listing every account, its code, folder and password, marked DEV ONLY', () => {
    const readme = readFileSync(server.demoReadme!, 'utf8');
    assert.match(readme, /DEV ONLY/);
    assert.match(kit.notice, /DEV ONLY/);
    const ids = kit.accounts.map((a) => a.accountId).sort();
    assert.deepEqual(ids, ['choegonggi', 'jeonggyosa', 'kimminjun', 'leeyoungja', 'parkjeongho', 'ryusiwon']);
    for (const a of kit.accounts) {
      assert.ok(readme.includes(a.accountId) && readme.includes(a.folder) && readme.includes(a.certPassword));
      if (a.otp) assert.ok(readme.includes(a.otp));
      assert.ok(existsSync(join(a.folder, 'GPKI', 'Certificate', 'class2')), a.folder);
    }
    assert.ok(existsSync(join(kit.folders.npkiBank.folder, 'NPKI')));
    assert.ok(readdirSync(kit.trustDir).some((f) => f.endsWith('.crl')));
    assert.equal(statSync(join(dir, 'data', 'demo', 'kit.json')).mode & 0o077, 0);
  });

  it('signs up and logs in the EPKI teacher with the CLI; the cookie jar is private', async () => {
    const t = kit.accounts.find((a) => a.accountId === 'jeonggyosa')!;
    const s = await gongjik(
      'signup',
      '--server',
      url,
      '--id',
      t.accountId,
      '--otp',
      t.otp!,
      '--cert-dir',
      t.folder,
      '--password',
      t.certPassword,
    );
    assert.equal(s.status, 0, JSON.stringify(s.out));
    const jar = join(dir, 'jar.txt');
    const l = await gongjik(
      'login',
      '--server',
      url,
      '--cert-dir',
      t.folder,
      '--password',
      t.certPassword,
      '--cookie-jar',
      jar,
    );
    assert.equal(l.status, 0, JSON.stringify(l.out));
    assert.equal((l.out.account as { realName: string }).realName, '정교사');
    assert.equal(statSync(jar).mode & 0o777, 0o600);
    assert.match(readFileSync(jar, 'utf8'), /gongjik-session\t/);
  });

  it('refuses a wrong certificate password locally with ERR_PKI_BAD_PASSWORD', async () => {
    const t = kit.accounts.find((a) => a.accountId === 'kimminjun')!;
    const l = await gongjik('login', '--server', url, '--cert-dir', t.folder, '--password', 'wrong');
    assert.equal(l.status, 1);
    assert.equal(l.out.error?.code, 'ERR_PKI_BAD_PASSWORD');
  });

  it('refuses the bank certificate, the public institution and the name with a space, each with its code', async () => {
    const npki = await gongjik(
      'login',
      '--server',
      url,
      '--cert-dir',
      kit.folders.npkiBank.folder,
      '--password',
      kit.folders.npkiBank.certPassword,
    );
    assert.equal(npki.status, 1);
    assert.equal(npki.out.error?.code, 'ERR_PKI_NPKI_NOT_ACCEPTED');
    const lh = kit.accounts.find((a) => a.accountId === 'choegonggi')!;
    const pub = await gongjik(
      'signup',
      '--server',
      url,
      '--id',
      lh.accountId,
      '--otp',
      'AAAA-BBBB-CCCC',
      '--cert-dir',
      lh.folder,
      '--password',
      lh.certPassword,
    );
    assert.equal(pub.out.error?.code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
    const ryu = kit.accounts.find((a) => a.accountId === 'ryusiwon')!;
    const mm = await gongjik(
      'signup',
      '--server',
      url,
      '--id',
      ryu.accountId,
      '--otp',
      ryu.otp!,
      '--cert-dir',
      kit.folders.nameMismatch.folder,
      '--password',
      kit.folders.nameMismatch.certPassword,
    );
    assert.equal(mm.out.error?.code, 'ERR_AUTH_NAME_MISMATCH');
  });

  it('warns the official about to retire at login', async () => {
    const p = kit.accounts.find((a) => a.accountId === 'leeyoungja')!;
    assert.equal(
      (
        await gongjik(
          'signup',
          '--server',
          url,
          '--id',
          p.accountId,
          '--otp',
          p.otp!,
          '--cert-dir',
          p.folder,
          '--password',
          p.certPassword,
        )
      ).status,
      0,
    );
    const l = await gongjik(
      'login',
      '--server',
      url,
      '--cert-dir',
      p.folder,
      '--password',
      p.certPassword,
      '--cookie-jar',
      join(dir, 'jar2.txt'),
    );
    const warnings = l.out.warnings as { code: string; daysLeft: number }[];
    assert.equal(warnings[0]?.code, 'retirement-soon');
    assert.ok(warnings[0]!.daysLeft <= 25 && warnings[0]!.daysLeft >= 24);
  });
});
