// The REAL Gongjik server for the browser tests: `startServer` from apps/server (temporary data
// folder, embedded PGlite database, migrations, the first admin token) listening on loopback, and in
// front of it a small server that serves the built app under its CSP and passes every /api request
// (and /.well-known, /oidc) through unchanged (method, headers — Origin, Cookie, X-CSRF-Token, Authorization — and body). The
// server's public URL is the front server's origin, so its Origin check sees what a browser sends.
// Nothing here answers for the API.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { loadConfig } from '../../../../server/src/config.ts';
import { demoInstaller } from '../../../../server/src/demo/kit.ts';
import type { Db } from '../../../../server/src/domain/db.ts';
import { startServer } from '../../../../server/src/start.ts';
import { CONTENT_SECURITY_POLICY } from '../../../csp.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface RealApp {
  /** What the browser opens, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** The server's own address (for calls made by the test itself, like an HR system would). */
  readonly apiUrl: string;
  /** The server's SMTP port on 127.0.0.1 (to deliver test mail through the real SMTP path). */
  readonly smtpPort: number | null;
  readonly adminToken: string;
  /** The server's database (the test uses it only where the server has no API yet). */
  readonly db: Db;
  /** The configuration the server runs with. */
  readonly config: ReturnType<typeof loadConfig>;
  /** The server's data folder (with `demo/kit.json` when started with the demo kit). */
  readonly dataDir: string;
  close(): Promise<void>;
}

/** `env` adds server settings (e.g. GONGJIK_MID_WALLET_URL for the mobile-ID tests). */
export interface RealAppOptions {
  /** write the demo kit on start, as `npm start` does (DEV ONLY: demo CA, people, folders) */
  readonly demo?: boolean;
}

export async function startRealApp(
  dist: string,
  env: Record<string, string> = {},
  options: RealAppOptions = {},
): Promise<RealApp> {
  let upstream: URL | null = null;
  const front = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // the server's own paths: the API, the OpenID4VCI/JWT VC well-knowns, the OIDC provider
    if (/^\/(?:api\/|\.well-known\/|oidc(?:\/|$))/.test(url.pathname) && upstream) {
      const proxied = request(
        new URL(url.pathname + url.search, upstream),
        { method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      proxied.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      // A request the browser gave up on (a cancelled upload) must not stay open upstream.
      res.on('close', () => {
        if (!res.writableFinished) proxied.destroy();
      });
      req.pipe(proxied);
      return;
    }
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = extname(path) ? join(dist, path) : join(dist, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;

  const dataDir = mkdtempSync(join(tmpdir(), 'gongjik-web-admin-'));
  const config = loadConfig(
    { GONGJIK_LOG_LEVEL: 'silent', GONGJIK_PUBLIC_URL: origin, GONGJIK_HTTP_HOST: '127.0.0.1', ...env },
    { dataDir, port: 0, smtpPort: 0, noDemo: !options.demo },
  );
  const server = await startServer(config, options.demo ? { demo: demoInstaller } : {});
  upstream = new URL(server.listenUrl);
  const adminToken = readFileSync(server.adminTokenFile, 'utf8').trim();
  return {
    origin,
    apiUrl: server.listenUrl,
    smtpPort: server.smtpPort,
    adminToken,
    db: server.db.db,
    config,
    dataDir,
    async close() {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      front.closeAllConnections();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
