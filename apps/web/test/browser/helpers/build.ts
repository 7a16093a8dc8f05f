// The built app for the browser tests: apps/web/dist when it is newer than its sources, otherwise
// a fresh build into a temporary folder (never into dist/, so test files running in parallel do
// not overwrite each other's files).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..');
export const DIST = join(WEB_ROOT, 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function sourcesMtime(): number {
  const repo = join(WEB_ROOT, '..', '..');
  return Math.max(
    newestMtime(join(WEB_ROOT, 'src')),
    newestMtime(join(WEB_ROOT, 'public')),
    newestMtime(join(WEB_ROOT, 'index.html')),
    newestMtime(join(WEB_ROOT, 'vite.config.ts')),
    newestMtime(join(WEB_ROOT, 'csp.ts')),
    newestMtime(join(repo, 'packages', 'kpki', 'src')),
    newestMtime(join(repo, 'packages', 'errors', 'src')),
  );
}

export interface BuiltApp {
  readonly dir: string;
  /** Removes a temporary build (a no-op for dist/). */
  dispose(): void;
}

export async function ensureBuilt(): Promise<BuiltApp> {
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesMtime()) return { dir: DIST, dispose() {} };
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-web-dist-'));
  const { build } = await import('vite');
  await build({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
