// Prints the gzipped size of the wallet's first load as JSON: every .js (the app and the service
// worker) and .css file of dist/, gzip level 6. Run after `npm run build -w @gongjik/wallet`.
//   node apps/wallet/scripts/bundle-size.ts [--dist <dir>]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function measureWallet(dist: string) {
  let jsGzipBytes = 0;
  let cssGzipBytes = 0;
  let precacheBytes = 0;
  const files: { file: string; bytes: number; gzipBytes: number }[] = [];
  for (const path of walk(dist).sort()) {
    const bytes = readFileSync(path);
    precacheBytes += bytes.byteLength;
    if (!/\.(m?js|css)$/.test(path)) continue;
    const gzipBytes = gzipSync(bytes, { level: 6 }).byteLength;
    files.push({ file: relative(dist, path), bytes: bytes.byteLength, gzipBytes });
    if (path.endsWith('.css')) cssGzipBytes += gzipBytes;
    else jsGzipBytes += gzipBytes;
  }
  return { jsGzipBytes, cssGzipBytes, precacheBytes, files };
}

if (import.meta.main) {
  const at = process.argv.indexOf('--dist');
  const dist = at > 0 ? process.argv[at + 1]! : join(import.meta.dirname, '..', 'dist');
  try {
    statSync(join(dist, 'sw.js'));
  } catch {
    console.error(`bundle-size: ${dist}/sw.js not found — run \`npm run build -w @gongjik/wallet\` first`);
    process.exit(1);
  }
  console.log(JSON.stringify(measureWallet(dist), null, 2));
}
