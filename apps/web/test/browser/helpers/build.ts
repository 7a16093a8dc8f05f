// The built app for the browser tests: <app>/dist when it is newer than its sources, otherwise a
// fresh build into a temporary folder (never into dist/, so test files running in parallel do not
// overwrite each other's files). The wallet's tests use the same mechanics for their app.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WEB_ROOT = join(import.meta.dirname, '..', '..', '..');
export const DIST = join(WEB_ROOT, 'dist');
const REPO = join(WEB_ROOT, '..', '..');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Newest change among the app's own sources and every workspace package's sources. */
function sourcesMtime(root: string, sources: readonly string[]): number {
  const packages = readdirSync(join(REPO, 'packages')).map((name) => join(REPO, 'packages', name, 'src'));
  return Math.max(...sources.map((p) => newestMtime(join(root, p))), ...packages.map(newestMtime));
}

export interface BuiltApp {
  readonly dir: string;
  /** Removes a temporary build (a no-op for dist/). */
  dispose(): void;
}

export interface ViteApp {
  /** The app's folder (holding vite.config.ts). */
  readonly root: string;
  /** Its source files and folders, relative to root. */
  readonly sources: readonly string[];
  /** A file of dist/ the build always writes, used to date the existing build. */
  readonly marker: string;
}

export async function ensureViteBuild(app: ViteApp): Promise<BuiltApp> {
  const dist = join(app.root, 'dist');
  const marker = join(dist, app.marker);
  if (existsSync(marker) && statSync(marker).mtimeMs >= sourcesMtime(app.root, app.sources))
    return { dir: dist, dispose() {} };
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-dist-'));
  const { build } = await import('vite');
  await build({
    root: app.root,
    configFile: join(app.root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function ensureBuilt(): Promise<BuiltApp> {
  return ensureViteBuild({
    root: WEB_ROOT,
    sources: ['src', 'public', 'index.html', 'vite.config.ts', 'csp.ts'],
    marker: 'index.html',
  });
}
