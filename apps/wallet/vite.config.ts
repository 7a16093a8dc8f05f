// Vite builds apps/wallet into dist/ (served on the wallet's own origin; see serve.ts).
// As in apps/web: no @vitejs/plugin-react (Vite's own transformer compiles JSX, and no Fast Refresh
// preamble for the CSP to refuse); the stylesheet is a <link> in index.html. The service worker is
// written by hand (src/sw/sw.ts) and emitted as /sw.js by sw-plugin.ts.
//   npm run dev -w @gongjik/wallet    (GONGJIK_ISSUER=http://127.0.0.1:8080 by default)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig } from 'vite';
import { walletHeaders } from './serve.ts';
import { serviceWorker } from './sw-plugin.ts';

const issuer = process.env.GONGJIK_ISSUER ?? 'http://127.0.0.1:8080';
const webApp = process.env.GONGJIK_WEB_APP ?? issuer;
const headers = walletHeaders({ issuer });

function configMiddleware(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(JSON.stringify({ issuer, webApp }));
}

export default defineConfig({
  root: import.meta.dirname,
  appType: 'spa',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  plugins: [
    serviceWorker({ root: import.meta.dirname }),
    {
      name: 'gongjik-wallet-config',
      configureServer(server) {
        server.middlewares.use('/config.json', configMiddleware);
      },
      configurePreviewServer(server) {
        server.middlewares.use('/config.json', configMiddleware);
      },
    },
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { port: 5174, strictPort: true, headers },
  preview: { port: 4174, headers },
});
