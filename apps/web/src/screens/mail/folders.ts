// The folder tree as the sidebar shows it: system folders first (in their fixed order), then the
// user's folders, each followed by its sub-folders, with their depth.
import type { Folder, FolderRole } from './api.ts';

export interface FolderNode {
  readonly folder: Folder;
  readonly depth: number;
}

const ROLE_ORDER: readonly FolderRole[] = ['inbox', 'sent', 'drafts', 'spam', 'trash'];

/** Depth-first order; orphans (a parent that is not in the list) are shown at the top level. */
export function folderTree(folders: readonly Folder[]): FolderNode[] {
  const ids = new Set(folders.map((f) => f.id));
  const children = new Map<string | null, Folder[]>();
  for (const f of folders) {
    const parent = f.parentId && ids.has(f.parentId) && f.parentId !== f.id ? f.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(f);
    children.set(parent, list);
  }
  const rank = (f: Folder) => (f.role ? ROLE_ORDER.indexOf(f.role) : ROLE_ORDER.length);
  const out: FolderNode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort(
      (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'ko'),
    );
    for (const f of list) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      out.push({ folder: f, depth });
      if (depth < 20) walk(f.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function folderByRole(folders: readonly Folder[], role: FolderRole): Folder | undefined {
  return folders.find((f) => f.role === role);
}
