// Running the real `gongjik` CLI from tests, and finding a free port for a server a test starts.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

export const GONGJIK_BIN = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const run = promisify(execFile);

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, read field by field by the tests.
export type CliJson = any;

/** Runs `gongjik <args> --json`: its exit status and its JSON output (also on refusal). */
export async function gongjik(...args: string[]): Promise<{ status: number; out: CliJson }> {
  try {
    const r = await run(process.execPath, [GONGJIK_BIN, ...args, '--json'], { encoding: 'utf8' });
    return { status: 0, out: JSON.parse(r.stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { status: e.code, out: JSON.parse(e.stdout) };
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
