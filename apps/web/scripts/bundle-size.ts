// Prints the gzipped size of the web app's JavaScript as JSON: `{ "jsGzipBytes": N, ... }`.
// Every .js file of dist/ is counted (the app has no lazily loaded chunks yet, so all of it is the
// first load); gzip at level 6, as web servers commonly send it. Run after `npm run build -w @gongjik/web`.
//   node apps/web/scripts/bundle-size.ts [--dist <dir>]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  readonly jsGzipBytes: number;
  readonly jsBytes: number;
  readonly cssGzipBytes: number;
  readonly files: { readonly file: string; readonly bytes: number; readonly gzipBytes: number }[];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

export function measureBundle(dist: string): BundleSize {
  let jsGzipBytes = 0;
  let jsBytes = 0;
  let cssGzipBytes = 0;
  const files: BundleSize['files'] = [];
  for (const path of walk(dist).sort()) {
    const isJs = /\.m?js$/.test(path);
    const isCss = path.endsWith('.css');
    if (!isJs && !isCss) continue;
    const bytes = readFileSync(path);
    const gzipBytes = gzipSync(bytes, { level: 6 }).byteLength;
    files.push({ file: relative(dist, path), bytes: bytes.byteLength, gzipBytes });
    if (isJs) {
      jsGzipBytes += gzipBytes;
      jsBytes += bytes.byteLength;
    } else {
      cssGzipBytes += gzipBytes;
    }
  }
  return { jsGzipBytes, jsBytes, cssGzipBytes, files };
}

if (import.meta.main) {
  const at = process.argv.indexOf('--dist');
  const dist = at > 0 ? process.argv[at + 1]! : join(import.meta.dirname, '..', 'dist');
  try {
    statSync(join(dist, 'index.html'));
  } catch {
    console.error(`bundle-size: ${dist}/index.html not found — run \`npm run build -w @gongjik/web\` first`);
    process.exit(1);
  }
  console.log(JSON.stringify(measureBundle(dist), null, 2));
}
