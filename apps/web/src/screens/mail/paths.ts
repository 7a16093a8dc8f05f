// The webmail's addresses. Every view has its own URL, so Back, reload and a new tab work:
//   /mail                          the inbox
//   /mail/folder/<id>              a folder           …/<messageId>  a message open in it
//   /mail/search?q=…               search results     /mail/search/<messageId>?q=…
//   /mail/compose?reply=<id>…      compose (helper "compose")      /mail/export  export
import type { SearchFilters } from './api.ts';

export type MailView =
  | { readonly kind: 'folder'; readonly folderId: string | null; readonly messageId: string | null }
  | { readonly kind: 'search'; readonly filters: SearchFilters; readonly messageId: string | null }
  | { readonly kind: 'compose' }
  | { readonly kind: 'export' }
  | { readonly kind: 'notFound' };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function decodeId(segment: string | undefined): string | null {
  if (segment === undefined) return null;
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return ID.test(id) ? id : null;
}

/** The search filters in a query string (unknown and malformed parameters are left out). */
export function filtersOf(search: string): SearchFilters {
  const p = new URLSearchParams(search);
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const folder = p.get('folder');
  return {
    q: (p.get('q') ?? '').slice(0, 256),
    folder: folder && ID.test(folder) ? folder : undefined,
    from: day(p.get('from')),
    to: day(p.get('to')),
    hasAttachment: p.get('attachment') === '1' || undefined,
    unread: p.get('unread') === '1' || undefined,
  };
}

/** `?q=…&folder=…` for filters (`from`/`to` are Korean calendar days, YYYY-MM-DD). */
export function searchQuery(filters: SearchFilters): string {
  const p = new URLSearchParams();
  p.set('q', filters.q);
  if (filters.folder) p.set('folder', filters.folder);
  if (filters.from) p.set('from', filters.from);
  if (filters.to) p.set('to', filters.to);
  if (filters.hasAttachment) p.set('attachment', '1');
  if (filters.unread) p.set('unread', '1');
  return `?${p.toString()}`;
}

export function parseMailPath(pathname: string, search = ''): MailView {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  if (parts[0] !== 'mail') return { kind: 'notFound' };
  const [, section, a, b, ...rest] = parts;
  if (section === undefined) return { kind: 'folder', folderId: null, messageId: null };
  if (section === 'compose' && a === undefined) return { kind: 'compose' };
  if (section === 'export' && a === undefined) return { kind: 'export' };
  if (section === 'folder' && rest.length === 0) {
    const folderId = decodeId(a);
    if (!folderId) return { kind: 'notFound' };
    if (b === undefined) return { kind: 'folder', folderId, messageId: null };
    const messageId = decodeId(b);
    return messageId ? { kind: 'folder', folderId, messageId } : { kind: 'notFound' };
  }
  if (section === 'search' && b === undefined) {
    const messageId = a === undefined ? null : decodeId(a);
    if (a !== undefined && !messageId) return { kind: 'notFound' };
    return { kind: 'search', filters: filtersOf(search), messageId };
  }
  return { kind: 'notFound' };
}

export const mailPaths = {
  inbox: '/mail',
  folder: (folderId: string) => `/mail/folder/${encodeURIComponent(folderId)}`,
  message: (folderId: string, messageId: string) =>
    `/mail/folder/${encodeURIComponent(folderId)}/${encodeURIComponent(messageId)}`,
  search: (filters: SearchFilters) => `/mail/search${searchQuery(filters)}`,
  searchMessage: (filters: SearchFilters, messageId: string) =>
    `/mail/search/${encodeURIComponent(messageId)}${searchQuery(filters)}`,
  compose: (mode?: { reply?: string; replyAll?: string; forward?: string; draft?: string }) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(mode ?? {})) if (v) p.set(k, v);
    const q = p.toString();
    return `/mail/compose${q ? `?${q}` : ''}`;
  },
  export: '/mail/export',
} as const;
