// The built wallet for the browser tests, with the web app's build helper (dist/ when fresh,
// otherwise a temporary build).
import { join } from 'node:path';
import { type BuiltApp, ensureViteBuild } from '../../../../web/test/browser/helpers/build.ts';

export const WALLET_ROOT = join(import.meta.dirname, '..', '..', '..');
export const DIST = join(WALLET_ROOT, 'dist');
export type BuiltWallet = BuiltApp;

export function ensureBuilt(): Promise<BuiltWallet> {
  return ensureViteBuild({
    root: WALLET_ROOT,
    sources: ['src', 'public', 'index.html', 'vite.config.ts', 'sw-plugin.ts', 'csp.ts', 'serve.ts'],
    marker: 'sw.js',
  });
}
