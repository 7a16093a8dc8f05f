// Serving the built wallet (apps/wallet/dist) on its own origin: used by the browser tests and meant
// for the Gongjik server's wallet listener (`gongjik start` on a second port or host name). Every
// response carries the wallet's CSP; page paths get index.html (the service worker then takes over);
// `/config.json` tells the page which issuer it trusts and where the web app is.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { walletCsp } from './csp.ts';

export interface WalletSiteOptions {
  /** The built wallet (apps/wallet/dist). */
  readonly dist: string;
  /** The credential issuer URL (`credential_issuer` of the offers), e.g. `https://id.gongjik.go.kr`. */
  readonly issuer: string;
  /** The web app's URL (certificate login; report a lost phone there), e.g. `https://mail.gongjik.go.kr`. */
  readonly webApp?: string;
  /** The gate groups (proof audiences) the holder chooses from on the gate QR screen. */
  readonly gateGroups?: readonly { readonly id: string; readonly name: string }[];
}

/** What `/config.json` answers: read by the wallet at start-up and kept by the service worker. */
export interface WalletConfig {
  readonly issuer: string;
  readonly webApp: string | null;
  readonly gateGroups: readonly { readonly id: string; readonly name: string }[];
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/** Headers of every wallet response. */
export function walletHeaders(options: Pick<WalletSiteOptions, 'issuer'>): Record<string, string> {
  return {
    'Content-Security-Policy': walletCsp({ issuerOrigins: [options.issuer] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** A node:http request handler serving the wallet. */
export function walletRequestHandler(
  options: WalletSiteOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const headers = walletHeaders(options);
  const config: WalletConfig = {
    issuer: options.issuer,
    webApp: options.webApp ?? null,
    gateGroups: options.gateGroups ?? [],
  };
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://wallet.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.json']!, 'Cache-Control': 'no-cache' });
      res.end(JSON.stringify(config));
      return;
    }
    let path: string;
    try {
      path = normalize(decodeURIComponent(url.pathname));
    } catch {
      path = '/';
    }
    const file = extname(path) ? join(options.dist, path) : join(options.dist, 'index.html');
    if (!file.startsWith(options.dist + sep)) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    try {
      const body = await readFile(file);
      // Hashed assets never change; everything else is revalidated (the service worker decides).
      const cache = path.startsWith(`${sep}assets${sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': cache,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
    }
  };
}

export interface WalletSite {
  readonly origin: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0: any free port) and serves the wallet. */
export async function startWalletSite(
  options: WalletSiteOptions & { readonly host?: string; readonly port?: number },
): Promise<WalletSite> {
  const handler = walletRequestHandler(options);
  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
