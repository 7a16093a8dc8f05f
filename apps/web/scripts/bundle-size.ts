// Prints the gzipped size of the web app's JavaScript as JSON: `{ "jsGzipBytes": N, ... }`.
// `jsGzipBytes` is the FIRST LOAD: the scripts index.html loads (module script, modulepreload links)
// and what they import statically; lazily loaded chunks (the admin portal) are counted apart in
// `lazyJsGzipBytes`. gzip at level 6, as web servers commonly send it. Run after `npm run build -w @gongjik/web`.
//   node apps/web/scripts/bundle-size.ts [--dist <dir>]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  /** first load (the budget: ≤ 250 KB) */
  readonly jsGzipBytes: number;
  /** chunks loaded on demand (dynamic import) */
  readonly lazyJsGzipBytes: number;
  readonly jsBytes: number;
  readonly cssGzipBytes: number;
  readonly files: {
    readonly file: string;
    readonly bytes: number;
    readonly gzipBytes: number;
    readonly firstLoad: boolean;
  }[];
}

/** Scripts of the first load: index.html's module scripts and preloads, then their static imports. */
export function firstLoadScripts(dist: string): Set<string> {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/?([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` is lazy.
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(join(file, '..', m[1]!));
    }
  }
  return seen;
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
  const first = firstLoadScripts(dist);
  let jsGzipBytes = 0;
  let lazyJsGzipBytes = 0;
  let jsBytes = 0;
  let cssGzipBytes = 0;
  const files: BundleSize['files'] = [];
  for (const path of walk(dist).sort()) {
    const isJs = /\.m?js$/.test(path);
    const isCss = path.endsWith('.css');
    if (!isJs && !isCss) continue;
    const bytes = readFileSync(path);
    const gzipBytes = gzipSync(bytes, { level: 6 }).byteLength;
    const file = relative(dist, path);
    const firstLoad = !isJs || first.has(file);
    files.push({ file, bytes: bytes.byteLength, gzipBytes, firstLoad });
    if (isJs) {
      if (firstLoad) jsGzipBytes += gzipBytes;
      else lazyJsGzipBytes += gzipBytes;
      jsBytes += bytes.byteLength;
    } else {
      cssGzipBytes += gzipBytes;
    }
  }
  return { jsGzipBytes, lazyJsGzipBytes, jsBytes, cssGzipBytes, files };
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
