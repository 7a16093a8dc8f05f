// `gongjik start` also serves the wallet PWA (apps/wallet/dist) on its own origin: the same host,
// port GONGJIK_WALLET_PORT (8081), so the install link of the demo's SMS opens a working wallet.
// A production deployment puts the wallet on its own host name (GONGJIK_MID_WALLET_URL) in front.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWalletSite, type WalletSite } from '@gongjik/wallet/serve';
import type { Config } from './config.ts';

/** apps/wallet/dist, next to the wallet package's serve.ts. */
export function walletDist(): string {
  return fileURLToPath(new URL('./dist', import.meta.resolve('@gongjik/wallet/serve')));
}

/**
 * Starts the wallet listener, or answers why not: GONGJIK_WALLET_PORT=0, or the wallet is not built.
 */
export async function startWalletListener(
  config: Config,
  dist: string = walletDist(),
): Promise<{ site: WalletSite; url: string } | { skipped: string }> {
  if (config.mobileId.walletPort === 0) return { skipped: 'GONGJIK_WALLET_PORT=0' };
  if (!existsSync(`${dist}/index.html`))
    return { skipped: `the wallet is not built (npm run build -w @gongjik/wallet → ${dist})` };
  const site = await startWalletSite({
    dist,
    issuer: config.mobileId.issuer,
    webApp: config.publicUrl,
    host: config.http.host,
    port: config.mobileId.walletPort,
  });
  return { site, url: config.mobileId.walletUrl };
}
