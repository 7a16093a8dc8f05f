// The files the user picked, as kpki's PickedFile list: from <input type=file webkitdirectory>
// (paths from webkitRelativePath), a plain multi-file input (bare names), or showDirectoryPicker.
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_ENTRIES, type PickedFile } from '@gongjik/kpki';

async function readBlob(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Files of an <input type=file>, with or without webkitdirectory. */
export function pickedFromFiles(files: Iterable<File>): PickedFile[] {
  const out: PickedFile[] = [];
  for (const file of files) {
    out.push({ path: file.webkitRelativePath || file.name, size: file.size, read: () => readBlob(file) });
    if (out.length > DEFAULT_MAX_ENTRIES) break;
  }
  return out;
}

// The File System Access API is not in TypeScript's DOM library yet.
interface DirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<DirectoryHandle | FileHandle>;
}
interface FileHandle {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
}
type PickerWindow = Window & {
  showDirectoryPicker?: (options?: { mode?: 'read'; id?: string }) => Promise<DirectoryHandle>;
};

export function hasDirectoryPicker(win: Window = window): boolean {
  return typeof (win as PickerWindow).showDirectoryPicker === 'function';
}

/**
 * Opens the browser's folder picker and lists the folder (bounded like kpki's scan: depth and
 * entries). Null when the user cancels.
 */
export async function pickDirectory(win: Window = window): Promise<PickedFile[] | null> {
  const picker = (win as PickerWindow).showDirectoryPicker;
  if (!picker) return null;
  let root: DirectoryHandle;
  try {
    root = await picker.call(win, { mode: 'read', id: 'gongjik-certificates' });
  } catch (err) {
    if ((err as { name?: string })?.name === 'AbortError') return null;
    throw err;
  }
  const out: PickedFile[] = [];
  let seen = 0;
  const walk = async (dir: DirectoryHandle, prefix: string, depth: number): Promise<void> => {
    for await (const entry of dir.values()) {
      if (++seen > DEFAULT_MAX_ENTRIES) return;
      const path = `${prefix}/${entry.name}`;
      if (entry.kind === 'directory') {
        if (depth < DEFAULT_MAX_DEPTH) await walk(entry, path, depth + 1);
      } else {
        const handle = entry;
        out.push({ path, read: async () => readBlob(await handle.getFile()) });
      }
    }
  };
  await walk(root, root.name, 0);
  return out;
}
