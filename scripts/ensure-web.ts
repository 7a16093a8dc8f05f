// Runs before `npm start`: builds the web app (apps/web → apps/web/dist, served by the server at /)
// and the wallet (apps/wallet/dist, served on GONGJIK_WALLET_PORT) when they have not been built yet, so `npm ci && npm start` works on a clean clone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(`${root}apps/web/dist/index.html`)) {
  console.error('building the web app (apps/web/dist) — first start only');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '-w', '@gongjik/web', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('the web app did not build; the server starts anyway and says so at /');
  }
}
// The wallet PWA (apps/wallet → apps/wallet/dist), served by `gongjik start` on GONGJIK_WALLET_PORT.
if (!existsSync(`${root}apps/wallet/dist/index.html`)) {
  console.error('building the wallet (apps/wallet/dist) — first start only');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build', '-w', '@gongjik/wallet', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) console.error('the wallet did not build; the server starts without it');
}
