// Serves the built web app (apps/web/dist) at `/`: files from dist (hashed assets cached as
// immutable), index.html for every other page path that is not /api/… (the app routes with the
// history API), with the app's Content-Security-Policy. The files are read once, at start-up.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import { CONTENT_SECURITY_POLICY } from '@gongjik/web/csp';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblem } from './problem.ts';

/** The page policy: the app's CSP plus no framing by anyone. */
export const PAGE_CSP = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

const PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()';

/**
 * The gate kiosk's page (`/kiosk`) scans QR codes with the camera: its document may use the camera
 * of its own origin; every other page keeps it off. (The kiosk is opened directly as the gate
 * device's start page, so its document is loaded with this policy.)
 */
export const KIOSK_PERMISSIONS_POLICY = PERMISSIONS_POLICY.replace('camera=()', 'camera=(self)');

/** Sent with every answer (pages and API); an answer that set its own permissions-policy keeps it. */
export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'permissions-policy': PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  readonly cacheControl: string;
}

const MAX_FILES = 2000;

function loadDist(dir: string): Map<string, StaticFile> | null {
  try {
    if (!statSync(join(dir, 'index.html')).isFile()) return null;
  } catch {
    return null;
  }
  const files = new Map<string, StaticFile>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (files.size >= MAX_FILES) return;
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) {
        const rel = `/${relative(dir, abs).split(sep).join('/')}`;
        const body = readFileSync(abs);
        const hashed = rel.startsWith('/assets/');
        files.set(rel, {
          body,
          type: TYPES[extname(e.name).toLowerCase()] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          // Vite puts content-hashed names under /assets: they never change.
          cacheControl: hashed
            ? 'public, max-age=31536000, immutable'
            : rel === '/index.html'
              ? 'no-cache'
              : 'public, max-age=3600',
        });
      }
    }
  };
  walk(dir);
  return files;
}

const NOT_BUILT = `<!doctype html><html lang="ko"><meta charset="utf-8"><title>Gongjik</title>
<h1>웹 앱이 아직 빌드되지 않았습니다 / The web app is not built</h1>
<p><code>npm run build -w @gongjik/web</code> (or <code>npm start</code>, which builds it when missing), then restart the server.</p></html>`;

/**
 * Registers `GET /*` (and HEAD): a file of dist, or index.html for any other page path. Paths under
 * /api/ and paths that look like files (with an extension) but do not exist answer 404 problem+json.
 */
export function registerWebApp(app: FastifyInstance, distDir: string): { built: boolean } {
  const files = loadDist(distDir);
  const send = (reply: FastifyReply, f: StaticFile, ifNoneMatch: string | undefined) => {
    reply
      .header('content-type', f.type)
      .header('cache-control', f.cacheControl)
      .header('etag', f.etag)
      .header('content-security-policy', PAGE_CSP);
    if (ifNoneMatch === f.etag) return reply.code(304).send();
    return reply.send(f.body);
  };
  app.get('/*', async (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/\/+/g, '/'));
    } catch {
      return sendProblem(reply, new GongjikError('ERR_RESOURCE_NOT_FOUND'));
    }
    if (path === '/api' || path.startsWith('/api/')) {
      return sendProblem(reply, new GongjikError('ERR_RESOURCE_NOT_FOUND'));
    }
    if (!files) {
      return reply
        .code(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', PAGE_CSP)
        .send(NOT_BUILT);
    }
    const inm = request.headers['if-none-match'];
    const file = files.get(path);
    if (file && path !== '/index.html') return send(reply, file, inm);
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (!file && last.includes('.')) return sendProblem(reply, new GongjikError('ERR_RESOURCE_NOT_FOUND'));
    if (path === '/kiosk' || path === '/kiosk/') reply.header('permissions-policy', KIOSK_PERMISSIONS_POLICY);
    return send(reply, files.get('/index.html')!, inm);
  });
  return { built: files !== null };
}
