// biome-ignore-all lint/suspicious/noExplicitAny: node:test reporter events are untyped
// node:test reporter: one line per test, failure details, and a closing line
// `N passed, N failed, N skipped`. Counts also go to $GONGJIK_TEST_SUMMARY (JSON) for scripts/test.ts.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { inspect } from 'node:util';

type Event = { type: string; data: Record<string, any> };

const green = (s: string) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s: string) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);
const yellow = (s: string) => (process.stdout.isTTY ? `\x1b[33m${s}\x1b[0m` : s);

function where(data: Record<string, any>): string {
  return data.file ? relative(process.cwd(), data.file) : '';
}

export default async function* reporter(source: AsyncIterable<Event>): AsyncGenerator<string> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') {
      if (type === 'test:stderr' || type === 'test:stdout') yield data.message;
      continue;
    }
    const isSuite = data.details?.type === 'suite';
    const ms = data.details?.duration_ms ? ` (${Math.round(data.details.duration_ms)} ms)` : '';
    const indent = '  '.repeat(data.nesting ?? 0);
    if (type === 'test:pass') {
      if (data.skip !== undefined || data.todo !== undefined) {
        if (!isSuite) skipped++;
        const why =
          typeof data.skip === 'string' ? data.skip : typeof data.todo === 'string' ? data.todo : '';
        yield `${indent}${yellow('-')} ${data.name} ${yellow(`# SKIP${why ? ` ${why}` : ''}`)}\n`;
      } else {
        if (!isSuite) passed++;
        yield `${indent}${green('✔')} ${data.name}${ms}\n`;
      }
      continue;
    }
    const err = data.details?.error;
    // A suite fails when a child fails; count only leaves, but a suite-level hook failure counts once.
    const hookOrSuiteError = isSuite && err?.failureType !== 'subtestsFailed';
    if (!isSuite || hookOrSuiteError) failed++;
    yield `${indent}${red('✖')} ${data.name}${ms}\n`;
    if (err && err.failureType !== 'subtestsFailed') {
      const cause = err.cause ?? err;
      failures.push(
        `${red('✖')} ${where(data)} › ${data.name}\n${inspect(cause, { depth: 4 }).replace(/^/gm, '    ')}\n`,
      );
    }
  }
  if (failures.length) yield `\nFailures:\n\n${failures.join('\n')}\n`;
  const summaryFile = process.env.GONGJIK_TEST_SUMMARY;
  if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped }));
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
