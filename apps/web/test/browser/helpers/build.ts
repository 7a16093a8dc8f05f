// Builds apps/web into dist/ when the build is missing or older than its sources.
import { existsSync, readdirSync, statSync } from 'node:fs';
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

export async function ensureBuilt(): Promise<string> {
  const index = join(DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesMtime()) return DIST;
  const { build } = await import('vite');
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return DIST;
}
