// Vite builds apps/web into dist/ (served by the Gongjik server at `/`).
// No @vitejs/plugin-react: Vite's own transformer compiles JSX (automatic runtime), and leaving out
// React Fast Refresh keeps the dev server free of the inline preamble script the CSP forbids. The
// stylesheet is a <link> in index.html (not a JS import), so the dev server does not inject <style>.
import { defineConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

const securityHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  root: import.meta.dirname,
  appType: 'spa',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Keeping scripts as modules only (no inline loader, no modulepreload polyfill).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    headers: securityHeaders,
    // `npm run dev -w @gongjik/web` next to a running server (`npm start`): the API is proxied so
    // the page and the API share one origin.
    proxy: { '/api': process.env.GONGJIK_API ?? 'http://127.0.0.1:8080' },
  },
  preview: { headers: securityHeaders },
});
