// The webmail's client of the mail API (`/api/v1/folders`, `/messages`, `/search`, `/threads`,
// `/quota`). Cookie-authenticated; writes carry the session's CSRF token. Answers are checked for
// the shape the screens rely on, so a bad answer is an error, not a broken screen.
import { asObject, optStr, str } from '../../api/decode.ts';
import { BadResponseError } from '../../api/http.ts';
import { createJsonClient, type JsonClient, type Query, seg } from '../../api/request.ts';
import { getSession } from '../../app/session.ts';
import { loadLang } from '../../i18n/lang-store.ts';

export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'spam' | 'trash';
export const FOLDER_ROLES: readonly FolderRole[] = ['inbox', 'sent', 'drafts', 'spam', 'trash'];

export interface Folder {
  readonly id: string;
  readonly parentId: string | null;
  readonly role: FolderRole | null;
  readonly name: string;
  readonly total: number;
  readonly unread: number;
}

export interface Address {
  readonly name: string;
  readonly address: string;
}

export interface Flags {
  readonly seen: boolean;
  readonly flagged: boolean;
  readonly answered: boolean;
  readonly forwarded: boolean;
  readonly draft: boolean;
}

export interface MessageSummary {
  readonly id: string;
  readonly folderId: string;
  readonly threadId: string;
  readonly subject: string;
  readonly from: Address | null;
  readonly to: readonly Address[];
  readonly sentAt: string | null;
  readonly receivedAt: string;
  readonly size: number;
  readonly hasAttachments: boolean;
  readonly excerpt: string;
  readonly flags: Flags;
  readonly external: boolean;
}

export interface Attachment {
  readonly partId: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
  readonly inline: boolean;
  readonly url: string;
}

export interface AuthVerdicts {
  readonly spf: string;
  readonly dkim: readonly string[];
  readonly dmarc: string;
  readonly dmarcDomain: string | null;
}

export interface MessageDetail extends MessageSummary {
  readonly cc: readonly Address[];
  readonly bcc: readonly Address[];
  readonly replyTo: readonly Address[];
  readonly text: string | null;
  readonly html: string | null;
  readonly htmlError: string | null;
  readonly blockedRemote: number;
  readonly attachments: readonly Attachment[];
  readonly auth: AuthVerdicts | null;
  readonly externalSender: boolean;
}

export interface Page {
  readonly items: MessageSummary[];
  readonly nextCursor: string | null;
}

export interface Quota {
  readonly quotaBytes: number;
  readonly usedBytes: number;
  readonly messages: number;
}

export interface SearchFilters {
  readonly q: string;
  readonly folder?: string;
  /** ISO instants: received at or after / before */
  readonly from?: string;
  readonly to?: string;
  readonly hasAttachment?: boolean;
  readonly unread?: boolean;
}

const num = (o: Record<string, unknown>, key: string): number => {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadResponseError(key);
  return v;
};
const bool = (o: Record<string, unknown>, key: string): boolean => {
  const v = o[key];
  if (typeof v !== 'boolean') throw new BadResponseError(key);
  return v;
};
const text = (o: Record<string, unknown>, key: string, max = 1_000_000): string => {
  const v = o[key];
  if (typeof v !== 'string' || v.length > max) throw new BadResponseError(key);
  return v;
};
const list = (o: Record<string, unknown>, key: string): unknown[] => {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadResponseError(key);
  return v;
};

function decodeAddress(value: unknown): Address {
  const a = asObject(value, 'address');
  return { name: text(a, 'name', 1000), address: text(a, 'address', 1000) };
}

function decodeFolder(value: unknown): Folder {
  const f = asObject(value, 'folder');
  const role = optStr(f, 'role', 20);
  return {
    id: str(f, 'id', 64),
    parentId: optStr(f, 'parentId', 64),
    role: role && (FOLDER_ROLES as readonly string[]).includes(role) ? (role as FolderRole) : null,
    name: text(f, 'name', 400),
    total: num(f, 'total'),
    unread: num(f, 'unread'),
  };
}

function decodeSummary(value: unknown): MessageSummary {
  const m = asObject(value, 'message');
  const f = asObject(m.flags, 'flags');
  return {
    id: str(m, 'id', 64),
    folderId: str(m, 'folderId', 64),
    threadId: str(m, 'threadId', 64),
    subject: text(m, 'subject', 10_000),
    from: m.from ? decodeAddress(m.from) : null,
    to: list(m, 'to').map(decodeAddress),
    sentAt: optStr(m, 'sentAt', 64),
    receivedAt: str(m, 'receivedAt', 64),
    size: num(m, 'size'),
    hasAttachments: bool(m, 'hasAttachments'),
    excerpt: text(m, 'excerpt', 10_000),
    flags: {
      seen: bool(f, 'seen'),
      flagged: bool(f, 'flagged'),
      answered: bool(f, 'answered'),
      forwarded: bool(f, 'forwarded'),
      draft: bool(f, 'draft'),
    },
    external: m.external === true,
  };
}

function decodePage(value: unknown): Page {
  const p = asObject(value, 'page');
  return { items: list(p, 'items').map(decodeSummary), nextCursor: optStr(p, 'nextCursor', 400) };
}

function decodeAuth(value: unknown): AuthVerdicts | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as Record<string, unknown>;
  const result = (v: unknown) =>
    v && typeof v === 'object' && typeof (v as { result?: unknown }).result === 'string'
      ? (v as { result: string }).result
      : 'none';
  const dmarc = a.dmarc && typeof a.dmarc === 'object' ? (a.dmarc as Record<string, unknown>) : {};
  return {
    spf: result(a.spf),
    dkim: Array.isArray(a.dkim) ? a.dkim.map(result) : [],
    dmarc: result(a.dmarc),
    dmarcDomain: typeof dmarc.domain === 'string' ? dmarc.domain : null,
  };
}

function decodeDetail(value: unknown): MessageDetail {
  const m = asObject(value, 'message');
  return {
    ...decodeSummary(m),
    cc: list(m, 'cc').map(decodeAddress),
    bcc: list(m, 'bcc').map(decodeAddress),
    replyTo: list(m, 'replyTo').map(decodeAddress),
    text: m.text == null ? null : text(m, 'text', 8 * 1024 * 1024),
    html: m.html == null ? null : text(m, 'html', 8 * 1024 * 1024),
    htmlError: optStr(m, 'htmlError', 100),
    blockedRemote: typeof m.blockedRemote === 'number' ? m.blockedRemote : 0,
    attachments: list(m, 'attachments').map((v) => {
      const a = asObject(v, 'attachment');
      return {
        partId: str(a, 'partId', 64),
        filename: optStr(a, 'filename', 1000),
        contentType: text(a, 'contentType', 300),
        size: num(a, 'size'),
        inline: a.inline === true,
        url: str(a, 'url', 400),
      };
    }),
    auth: decodeAuth(m.auth),
    externalSender: m.externalSender === true,
  };
}

export function mailApi(client: JsonClient) {
  return {
    async folders(): Promise<Folder[]> {
      return list(asObject(await client.request('GET', '/api/v1/folders'), 'folders'), 'folders').map(
        decodeFolder,
      );
    },
    async createFolder(name: string, parentId: string | null): Promise<Folder> {
      return decodeFolder(await client.request('POST', '/api/v1/folders', { body: { name, parentId } }));
    },
    async renameFolder(id: string, name: string): Promise<Folder> {
      return decodeFolder(await client.request('PATCH', `/api/v1/folders/${seg(id)}`, { body: { name } }));
    },
    async deleteFolder(id: string): Promise<void> {
      await client.request('DELETE', `/api/v1/folders/${seg(id)}`);
    },
    async messages(folderId: string, cursor: string | null, limit: number): Promise<Page> {
      return decodePage(
        await client.request('GET', `/api/v1/folders/${seg(folderId)}/messages`, {
          query: { cursor, limit },
        }),
      );
    },
    async message(id: string, images: boolean): Promise<MessageDetail> {
      return decodeDetail(
        await client.request('GET', `/api/v1/messages/${seg(id)}`, { query: { images: images ? 1 : null } }),
      );
    },
    async thread(threadId: string): Promise<MessageSummary[]> {
      return list(
        asObject(await client.request('GET', `/api/v1/threads/${seg(threadId)}`), 'thread'),
        'items',
      ).map(decodeSummary);
    },
    async search(filters: SearchFilters, cursor: string | null, limit: number): Promise<Page> {
      const query: Query = {
        q: filters.q,
        folder: filters.folder,
        from: filters.from,
        to: filters.to,
        hasAttachment: filters.hasAttachment ? 1 : null,
        unread: filters.unread ? 1 : null,
        cursor,
        limit,
      };
      return decodePage(await client.request('GET', '/api/v1/search', { query }));
    },
    async move(ids: readonly string[], folderId: string): Promise<void> {
      await client.request('POST', '/api/v1/messages/move', { body: { ids, folderId } });
    },
    async setFlags(ids: readonly string[], flags: { seen?: boolean; flagged?: boolean }): Promise<void> {
      await client.request('POST', '/api/v1/messages/flags', { body: { ids, flags } });
    },
    async remove(ids: readonly string[]): Promise<void> {
      await client.request('POST', '/api/v1/messages/delete', { body: { ids } });
    },
    async quota(): Promise<Quota> {
      const q = asObject(await client.request('GET', '/api/v1/quota'), 'quota');
      return {
        quotaBytes: num(q, 'quotaBytes'),
        usedBytes: num(q, 'usedBytes'),
        messages: num(q, 'messages'),
      };
    },
  };
}

export type MailApi = ReturnType<typeof mailApi>;

/** The page's mail client: same origin, the page's language, the session's CSRF token on writes. */
export const mail: MailApi = mailApi(
  createJsonClient({
    // A message answer carries its whole text and HTML (each at most 4 MiB on the server).
    maxResponseChars: 20 * 1024 * 1024,
    lang: () => loadLang(globalThis.localStorage),
    headers: (): Record<string, string> => {
      const csrf = getSession()?.csrfToken;
      return csrf ? { 'X-CSRF-Token': csrf } : {};
    },
  }),
);
