// A 50 MB message over SMTP (swaks, a ~37 MB attachment base64-encoded) into the store: the server
// streams it to the raw blob and the attachment blob while parsing, so its RSS must grow far less
// than the message. Prints {"messageBytes", "rssGrowthMb", "stored"}. Budget: RSS growth < 64 MB.
// Needs swaks. The database is in-memory PGlite (the database holds metadata only). Run with
// --expose-gc for a steadier baseline.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createDb, migrate } from '@gongjik/db';
import { createAgency } from '../apps/server/src/domain/directory/agencies.ts';
import { upsertPerson } from '../apps/server/src/domain/directory/people.ts';
import { openFsBlobStore } from '../apps/server/src/domain/mail/blobs/fs-blob-store.ts';
import { emptyResolver } from '../apps/server/src/smtp/authenticate.ts';
import { createSmtpServer } from '../apps/server/src/smtp/server.ts';

if (spawnSync('swaks', ['--version']).status !== 0) {
  console.log(JSON.stringify({ skipped: 'swaks is not installed' }));
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'gongjik-bench-large-'));
const h = await createDb();
try {
  await migrate(h.db);
  const ctx = { actor: 'bench', now: new Date() };
  await createAgency(h.db, { code: 'LARGE', name: '대용량', type: 'central' }, ctx);
  await upsertPerson(h.db, 'L1', { agencyCode: 'LARGE', realName: '대용량', mailId: 'large' }, ctx, {
    mailDomain: 'korea.kr',
  });
  await h.db.updateTable('accounts').set({ state: 'active' }).execute();
  const smtp = await createSmtpServer({
    db: h.db,
    blobs: await openFsBlobStore(join(dir, 'blobs')),
    settings: {
      port: 0,
      host: '127.0.0.1',
      hostname: 'mail.korea.kr',
      maxMessageBytes: 64 * 1024 * 1024,
      maxRecipients: 10,
      maxConnectionsPerIp: 10,
      messagesPerMinutePerIp: 100,
      mailDomain: 'korea.kr',
      defaultQuotaBytes: 1024 ** 4,
    },
    tls: null,
    resolver: emptyResolver,
    now: () => new Date(),
  }).listen();
  const file = join(dir, '보고서.bin');
  writeFileSync(file, randomBytes(37 * 1024 * 1024));
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const { stdout, stderr } = await promisify(execFile)(
    'swaks',
    [
      '--server',
      '127.0.0.1',
      '--port',
      String(smtp.port),
      '--from',
      'x@example.org',
      '--to',
      'large@korea.kr',
      '--attach',
      file,
      '--suppress-data',
    ],
    { maxBuffer: 1024 * 1024 },
  );
  clearInterval(timer);
  const ok = /250 2\.0\.0/.test(stdout + stderr);
  const row = await h.db.selectFrom('mail_messages').select(['size', 'attachments']).executeTakeFirst();
  await smtp.close();
  console.log(
    JSON.stringify({
      messageBytes: row?.size ?? null,
      rssGrowthMb: Math.round(((peak - base) / 1048576) * 10) / 10,
      stored: ok && row !== undefined,
      attachmentBlobs: Array.isArray(row?.attachments) ? row.attachments.length : null,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await h.close();
}
