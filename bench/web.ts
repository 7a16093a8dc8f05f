// The web app's budgets (issue 5): first-load JavaScript ≤ 250 KB gzipped, and a rendered inbox of
// 50 messages ≤ 1,000 ms after navigation, in headless Chromium against the REAL server (embedded
// PGlite, mail delivered through its SMTP listener) with a signed-in session.
//
// jsGzipBytes: the scripts index.html loads and their static imports (apps/web/scripts/bundle-size.ts).
// inboxReadyMs: from navigation start (the page's performance time origin) to the first frame in
// which the inbox list says it holds 50 messages (`aria-setsize="50"` on its rows) — session check,
// folders, quota, the first page of messages and the windowed render included. Median of RUNS fresh
// tabs; the first (cold) run is reported apart. mainThreadMs: the page's main-thread busy time up to
// then (CDP Performance TaskDuration) — the CPU part, which the machine's load does not inflate.
//
//   node bench/web.ts            (builds apps/web when dist/ is missing or older than its sources)
import { performance } from 'node:perf_hooks';
import { measureBundle } from '../apps/web/scripts/bundle-size.ts';
import { ensureBuilt } from '../apps/web/test/browser/helpers/build.ts';
import { chromiumSkipReason, launchBrowser } from '../apps/web/test/browser/helpers/chromium.ts';
import { deliver, seedOfficial, signIn, type TestMail } from '../apps/web/test/browser/helpers/mail.ts';
import { startRealApp } from '../apps/web/test/browser/helpers/real-server.ts';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const MESSAGES = 50;

const built = await ensureBuilt();
const bundle = measureBundle(built.dir);
const skip = chromiumSkipReason();
if (skip) {
  console.log(
    JSON.stringify({ jsGzipBytes: bundle.jsGzipBytes, inboxReadyMs: null, skipped: skip }, null, 2),
  );
  built.dispose();
  process.exit(0);
}

const app = await startRealApp(built.dir, { GONGJIK_SMTP_DNS: 'none', GONGJIK_OUTBOUND_ENABLED: 'false' });
const browser = await launchBrowser();
try {
  const reader = await seedOfficial(app, { employeeNo: '2024901', realName: '류시원', mailId: 'ryusiwon' });
  const mails: TestMail[] = Array.from({ length: MESSAGES }, (_, i) => ({
    from: { name: `보낸사람${i}`, address: `sender${i}@partner.example.org` },
    to: reader.address,
    subject: `업무 협조 요청 ${i + 1}호 — 2026년 예산 편성 관련`,
    text: `안녕하세요. ${i + 1}번째 협조 요청입니다. 첨부한 자료를 검토해 주시기 바랍니다.\n`.repeat(20),
    date: new Date(Date.now() - i * 60_000),
  }));
  await deliver(app, mails);
  await signIn(app, browser.context, reader);

  const samples: number[] = [];
  const wall: number[] = [];
  const mainThread: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.context.newPage();
    if (process.env.BENCH_WEB_TRACE) {
      const t0 = performance.now();
      page.on('request', (r) =>
        console.error(`${Math.round(performance.now() - t0)} → ${new URL(r.url()).pathname}`),
      );
      page.on('requestfinished', (r) =>
        console.error(`${Math.round(performance.now() - t0)} ← ${new URL(r.url()).pathname}`),
      );
    }
    // The renderer's main-thread busy time (CPU of the page, less sensitive to the machine's load).
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const started = performance.now();
    await page.goto(`${app.origin}/mail`, { waitUntil: 'commit' });
    const ready = await page.waitForFunction(
      (n) => (document.querySelector(`.mail-row[aria-setsize="${n}"]`) ? performance.now() : null),
      MESSAGES,
      { polling: 'raf', timeout: 30_000 },
    );
    samples.push(Math.round((await ready.jsonValue()) as number));
    wall.push(Math.round(performance.now() - started));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const task = metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    mainThread.push(Math.round(task * 1000));
    await page.close();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    JSON.stringify(
      {
        jsGzipBytes: bundle.jsGzipBytes,
        inboxReadyMs: median,
        budget: { jsGzipBytes: 250 * 1024, inboxReadyMs: 1000 },
        withinBudget: bundle.jsGzipBytes <= 250 * 1024 && median <= 1000,
        coldInboxReadyMs: samples[0],
        inboxReadyMsRuns: samples,
        wallMsRuns: wall,
        mainThreadMs: medianOf(mainThread),
        mainThreadMsRuns: mainThread,
        lazyJsGzipBytes: bundle.lazyJsGzipBytes,
        cssGzipBytes: bundle.cssGzipBytes,
        messages: MESSAGES,
        note: 'headless Chromium on a shared 2-core machine; median of fresh tabs, first run cold',
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await app.close();
  built.dispose();
}
