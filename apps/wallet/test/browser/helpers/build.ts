// The built wallet for the browser tests: apps/wallet/dist when it is newer than its sources,
// otherwise a fresh build into a temporary folder (never into dist/, so parallel test files do not
// overwrite each other's files).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WALLET_ROOT = join(import.meta.dirname, '..', '..', '..');
export const DIST = join(WALLET_ROOT, 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function sourcesMtime(): number {
  const repo = join(WALLET_ROOT, '..', '..');
  return Math.max(
    ...['src', 'public', 'index.html', 'vite.config.ts', 'sw-plugin.ts', 'csp.ts', 'serve.ts'].map((p) =>
      newestMtime(join(WALLET_ROOT, p)),
    ),
    newestMtime(join(repo, 'packages', 'mobile-id', 'src')),
    newestMtime(join(repo, 'packages', 'errors', 'src')),
  );
}

export interface BuiltWallet {
  readonly dir: string;
  /** Removes a temporary build (a no-op for dist/). */
  dispose(): void;
}

export async function ensureBuilt(): Promise<BuiltWallet> {
  const index = join(DIST, 'sw.js');
  if (existsSync(index) && statSync(index).mtimeMs >= sourcesMtime()) return { dir: DIST, dispose() {} };
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-wallet-dist-'));
  const { build } = await import('vite');
  await build({
    root: WALLET_ROOT,
    configFile: join(WALLET_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
