// The mailbox's first requests, started as soon as the mail chunk is evaluated — before React has
// rendered any of it (the chunk is only ever loaded for a /mail address). The folder list is needed
// first (the inbox's id); a returning reader's inbox id is remembered in this browser, so the
// inbox's first page is asked for at the same time instead of after the folders.
import { type Folder, mail, type Page } from './api.ts';

export const PAGE_SIZE = 100;
const INBOX_KEY = 'gongjik.mail.inbox';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

let folders: Promise<Folder[]> | null = null;
let inbox: { readonly folderId: string; readonly page: Promise<Page> } | null = null;

if (typeof window !== 'undefined' && /^\/mail\/?$/.test(window.location.pathname)) {
  folders = mail.folders();
  folders.catch(() => undefined);
  const id = storage()?.getItem(INBOX_KEY);
  if (id && /^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    inbox = { folderId: id, page: mail.messages(id, null, PAGE_SIZE) };
    inbox.page.catch(() => undefined);
  }
}

/** The folder list asked for early (once), or null. */
export function takeEarlyFolders(): Promise<Folder[]> | null {
  const f = folders;
  folders = null;
  return f;
}

/** The first page of `folderId` asked for early (once), or null when it was another folder. */
export function takeEarlyPage(folderId: string): Promise<Page> | null {
  const early = inbox;
  inbox = null;
  return early && early.folderId === folderId ? early.page : null;
}

/** Remembers the inbox's id for the next visit (another account's id would just not be found). */
export function rememberInbox(folderId: string): void {
  try {
    storage()?.setItem(INBOX_KEY, folderId);
  } catch {
    // Storage full or refused: the next visit waits for the folder list, as the first one did.
  }
}
