// The built wallet served on its own origin, as in production (../../../serve.ts). The origin is
// named `localhost` (a secure context, and a valid WebAuthn RP ID, which an IP address is not).
import { startWalletSite, type WalletSite } from '../../../serve.ts';

export async function startTestWalletSite(options: {
  dist: string;
  issuer: string;
  webApp?: string;
  port?: number;
}): Promise<WalletSite> {
  const site = await startWalletSite({ ...options, host: '127.0.0.1' });
  return { origin: site.origin.replace('127.0.0.1', 'localhost'), close: site.close };
}
