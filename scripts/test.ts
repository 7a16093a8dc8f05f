// Runs every test of the repository with node:test and ends with `N passed, N failed[, N skipped]`.
// Exit 1 on any failure or when no test ran. Extra arguments narrow the run to those files/globs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const patterns = args.length ? args : ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'];
const dir = mkdtempSync(join(tmpdir(), 'gongjik-test-'));
const summaryFile = join(dir, 'summary.json');
const concurrency = process.env.GONGJIK_TEST_CONCURRENCY ?? '2';

const run = spawnSync(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=./scripts/test-reporter.ts',
    '--test-reporter-destination=stdout',
    ...patterns,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, GONGJIK_TEST_SUMMARY: summaryFile } },
);

let summary = { passed: 0, failed: 0, skipped: 0 };
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  console.error('test: the test runner wrote no summary');
}
rmSync(dir, { recursive: true, force: true });
const ran = summary.passed + summary.failed;
if (ran === 0) console.error('test: no test ran');
process.exit(run.status !== 0 || summary.failed > 0 || ran === 0 ? 1 : 0);
