// A Vite plugin that writes the hand-made service worker (src/sw/sw.ts) into the build as /sw.js,
// with the list of files to precache and a version derived from their contents.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Plugin, transformWithOxc } from 'vite';

/** Files of public/ (copied as they are into the build), as URL paths. */
function publicFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(`/${relative(dir, path).split('\\').join('/')}`);
    }
  };
  walk(dir);
  return out;
}

export function serviceWorker(options: { readonly root: string }): Plugin {
  return {
    name: 'gongjik-wallet-sw',
    apply: 'build',
    async generateBundle(_outputOptions, bundle) {
      const hash = createHash('sha256');
      const files = new Set<string>(['/', '/index.html', '/config.json']);
      for (const [fileName, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (fileName.endsWith('.map')) continue;
        files.add(`/${fileName}`);
        hash.update(fileName);
        hash.update(item.type === 'chunk' ? item.code : item.source);
      }
      const publicDir = join(options.root, 'public');
      for (const path of publicFiles(publicDir).sort()) {
        if (path === '/robots.txt') continue;
        files.add(path);
        hash.update(path);
        hash.update(readFileSync(join(publicDir, path)));
      }
      const source = readFileSync(join(options.root, 'src', 'sw', 'sw.ts'), 'utf8');
      const { code } = await transformWithOxc(source, 'sw.ts', { lang: 'ts' });
      const version = hash.digest('hex').slice(0, 16);
      const precache = [...files].filter((f) => f !== '/');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const PRECACHE = ${JSON.stringify(precache)};\nconst VERSION = ${JSON.stringify(version)};\n${code}`,
      });
    },
  };
}
