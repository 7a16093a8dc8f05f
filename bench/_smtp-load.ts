// Load client of bench/smtp.ts (run as its own process so that it does not share the server's event
// loop): N messages of ~10 KB over C connections, sequential per connection. Prints JSON
// {sent, failed, wallMs, p50Ms, p99Ms}. Usage: node bench/_smtp-load.ts PORT N C RCPT[,RCPT…]
import { SmtpClient } from '../apps/server/test/smtp-client.ts';

const [port, total, conns, rcptList] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  Number(process.argv[4]),
  process.argv[5]!,
];
const rcpts = rcptList.split(',');
const body = `${'가나다라마바사아자차카타파하 Gongjik benchmark line of text.\r\n'.repeat(150)}`;
const message = (i: number, to: string) =>
  [
    'From: Bench <bench@example.org>',
    `To: <${to}>`,
    `Subject: bench ${i} 정기회의`,
    `Message-ID: <bench-${i}-${process.pid}@example.org>`,
    'Date: Mon, 02 Mar 2026 10:00:00 +0900',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
  ].join('\r\n');

let next = 0;
let failed = 0;
const latencies: number[] = [];
const start = performance.now();
await Promise.all(
  Array.from({ length: conns }, async () => {
    const { client } = await SmtpClient.connect(port);
    await client.command('EHLO bench.example.org');
    while (next < total) {
      const i = next++;
      const to = rcpts[i % rcpts.length]!;
      const t = performance.now();
      const r = await client.send('bench@example.org', [to], message(i, to));
      latencies.push(performance.now() - t);
      if (!r.startsWith('250')) {
        failed++;
        if (failed < 3) console.error(r);
      }
    }
    await client.quit();
  }),
);
const wallMs = performance.now() - start;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    sent: total - failed,
    failed,
    wallMs,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    bytes: Buffer.byteLength(message(0, rcpts[0]!)),
  }),
);
