// One SMTP server process of bench/smtp.ts (forked; several share the port with SO_REUSEPORT).
// Sends {ready} once listening; on "stop" closes and sends its CPU time and database round trips
// counted from "start" (so set-up is not measured).
//   node bench/_smtp-server.ts DATABASE_URL BLOB_DIR PORT POOL_SIZE
import './_threadpool.ts';
import { createDb } from '@gongjik/db';
import pg from 'pg';
import { openFsBlobStore } from '../apps/server/src/domain/mail/blobs/fs-blob-store.ts';
import { emptyResolver } from '../apps/server/src/smtp/authenticate.ts';
import { createSmtpServer } from '../apps/server/src/smtp/server.ts';

const [url, blobDir, port, pool] = process.argv.slice(2) as [string, string, string, string];
let roundTrips = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  roundTrips++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const handle = await createDb({ url, poolSize: Number(pool) });
const blobs = await openFsBlobStore(blobDir);
const smtp = await createSmtpServer({
  db: handle.db,
  blobs,
  settings: {
    port: Number(port),
    host: '127.0.0.1',
    hostname: 'mail.korea.kr',
    maxMessageBytes: 25 * 1024 * 1024,
    maxRecipients: 100,
    maxConnectionsPerIp: 10_000,
    messagesPerMinutePerIp: 100_000_000,
    mailDomain: 'korea.kr',
    defaultQuotaBytes: 1024 ** 4,
    reusePort: true,
  },
  tls: null,
  resolver: emptyResolver,
  now: () => new Date(),
}).listen();
let cpu0 = process.cpuUsage();
let trips0 = 0;
process.on('message', async (m) => {
  if (m === 'start') {
    cpu0 = process.cpuUsage();
    trips0 = roundTrips;
  } else if (m === 'stop') {
    const cpu = process.cpuUsage(cpu0);
    const trips = roundTrips - trips0;
    await smtp.close();
    await handle.close();
    process.send!({ cpuMs: (cpu.user + cpu.system) / 1000, roundTrips: trips }, () => process.exit(0));
  }
});
process.send!({ ready: true, port: smtp.port });
