// @gongjik/kpki/node — the only module of kpki that may import node:*.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_ENTRIES, scanCertificates } from './layout/scan.ts';
import type { PickedFile, ScanOptions, ScanResult } from './layout/types.ts';

/**
 * Walks a directory (a USB drive root, `C:\GPKI`, an `NPKI` folder, …) and finds every certificate in
 * it with the browser-safe core. Bounded like the core: depth, entries; symbolic links are not followed.
 */
export async function listCertificatesInDir(dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const files: PickedFile[] = [];
  let seen = 0;
  let truncated = false;
  const queue: { abs: string; rel: string; depth: number }[] = [{ abs: dir, rel: '', depth: 0 }];
  while (queue.length > 0 && !truncated) {
    const { abs, rel, depth } = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch {
      continue; // unreadable folders (System Volume Information, …) are not certificates
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++seen > maxEntries) {
        truncated = true;
        break;
      }
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < maxDepth) queue.push({ abs: childAbs, rel: childRel, depth: depth + 1 });
      } else if (entry.isFile()) {
        files.push({
          path: childRel,
          size: (await lstat(childAbs)).size,
          read: async () => new Uint8Array(await readFile(childAbs)),
        });
      }
    }
  }
  const result = await scanCertificates(files, { ...options, maxEntries: Number.MAX_SAFE_INTEGER });
  return { ...result, truncated: truncated || result.truncated };
}
