// The compose side of the mail API: directory lookups, drafts, send, receipts, recall, exports.
// Cookie-authenticated; writes carry the session's CSRF token. Answers are checked for the shape the
// screens rely on.
import { asObject, optStr, str } from '../../../api/decode.ts';
import { BadResponseError } from '../../../api/http.ts';
import { createJsonClient, type JsonClient, seg } from '../../../api/request.ts';
import { getSession } from '../../../app/session.ts';
import { loadLang } from '../../../i18n/lang-store.ts';

export interface DirectoryPerson {
  readonly name: string;
  readonly address: string;
  readonly agency: string;
  readonly department: string | null;
  readonly position: string | null;
  readonly head: boolean;
}

export interface DirectoryDepartment {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly people: DirectoryPerson[];
}

export interface DirectoryTree {
  readonly agency: { readonly code: string; readonly name: string };
  readonly departments: DirectoryDepartment[];
  readonly unassigned: DirectoryPerson[];
  readonly truncated: boolean;
}

export interface DraftBody {
  readonly to: { name: string | null; address: string }[];
  readonly cc: { name: string | null; address: string }[];
  readonly bcc: { name: string | null; address: string }[];
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly attachments: { uploadId?: string; messageId?: string; partId?: string }[];
  readonly inReplyTo: string | null;
  readonly forwardOf: string | null;
}

export interface Draft {
  readonly id: string;
  readonly version: number;
  readonly entryId: string | null;
  readonly updatedAt: string;
  readonly draft: Record<string, unknown>;
}

export type ReceiptState = 'delivered' | 'read' | 'recalled' | 'deleted' | 'queued' | 'sent' | 'failed';

export interface Receipt {
  readonly address: string;
  readonly internal: boolean;
  readonly state: ReceiptState;
  readonly deliveredAt: string | null;
  readonly readAt: string | null;
  readonly recalledAt: string | null;
  readonly detail: string | null;
}

export type RecallOutcome = 'recalled' | 'already-read' | 'already-recalled' | 'deleted' | 'not-recallable';

export interface ExportJob {
  readonly id: string;
  readonly format: 'mbox' | 'zip';
  readonly state: 'queued' | 'running' | 'done' | 'failed';
  readonly total: number;
  readonly done: number;
  readonly size: number | null;
  readonly errorCode: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly expiresAt: string;
}

const num = (o: Record<string, unknown>, key: string): number => {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadResponseError(key);
  return v;
};
const arr = (o: Record<string, unknown>, key: string): unknown[] => {
  const v = o[key];
  if (!Array.isArray(v)) throw new BadResponseError(key);
  return v;
};
const oneOf = <T extends string>(o: Record<string, unknown>, key: string, values: readonly T[]): T => {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new BadResponseError(key);
  return v as T;
};

function decodePerson(value: unknown): DirectoryPerson {
  const p = asObject(value, 'person');
  return {
    name: str(p, 'name', 200),
    address: str(p, 'address', 320),
    agency: str(p, 'agency', 200),
    department: optStr(p, 'department', 200),
    position: optStr(p, 'position', 200),
    head: p.head === true,
  };
}

function decodeDraft(value: unknown): Draft {
  const d = asObject(value, 'draft');
  return {
    id: str(d, 'id', 64),
    version: num(d, 'version'),
    entryId: optStr(d, 'entryId', 64),
    updatedAt: str(d, 'updatedAt', 64),
    draft: asObject(d.draft, 'draft.draft'),
  };
}

const RECEIPT_STATES: readonly ReceiptState[] = [
  'delivered',
  'read',
  'recalled',
  'deleted',
  'queued',
  'sent',
  'failed',
];
const RECALL_OUTCOMES: readonly RecallOutcome[] = [
  'recalled',
  'already-read',
  'already-recalled',
  'deleted',
  'not-recallable',
];

function decodeReceipt(value: unknown): Receipt {
  const r = asObject(value, 'receipt');
  return {
    address: str(r, 'address', 320),
    internal: r.internal === true,
    state: oneOf(r, 'state', RECEIPT_STATES),
    deliveredAt: optStr(r, 'deliveredAt', 64),
    readAt: optStr(r, 'readAt', 64),
    recalledAt: optStr(r, 'recalledAt', 64),
    detail: optStr(r, 'detail', 2000),
  };
}

function decodeExport(value: unknown): ExportJob {
  const e = asObject(value, 'export');
  return {
    id: str(e, 'id', 64),
    format: oneOf(e, 'format', ['mbox', 'zip'] as const),
    state: oneOf(e, 'state', ['queued', 'running', 'done', 'failed'] as const),
    total: num(e, 'total'),
    done: num(e, 'done'),
    size: typeof e.size === 'number' ? e.size : null,
    errorCode: optStr(e, 'errorCode', 100),
    createdAt: str(e, 'createdAt', 64),
    finishedAt: optStr(e, 'finishedAt', 64),
    expiresAt: str(e, 'expiresAt', 64),
  };
}

export function sendApi(client: JsonClient) {
  return {
    async searchPeople(q: string, limit = 8): Promise<DirectoryPerson[]> {
      const r = asObject(
        await client.request('GET', '/api/v1/directory/people', { query: { q, limit } }),
        'people',
      );
      return arr(r, 'people').map(decodePerson);
    },
    async tree(): Promise<DirectoryTree> {
      const r = asObject(await client.request('GET', '/api/v1/directory/tree'), 'tree');
      const agency = asObject(r.agency, 'agency');
      return {
        agency: { code: str(agency, 'code', 64), name: str(agency, 'name', 200) },
        departments: arr(r, 'departments').map((v) => {
          const d = asObject(v, 'department');
          return {
            code: str(d, 'code', 64),
            name: str(d, 'name', 200),
            parentCode: optStr(d, 'parentCode', 64),
            people: arr(d, 'people').map(decodePerson),
          };
        }),
        unassigned: arr(r, 'unassigned').map(decodePerson),
        truncated: r.truncated === true,
      };
    },
    async createDraft(body: DraftBody): Promise<Draft> {
      return decodeDraft(await client.request('POST', '/api/v1/drafts', { body }));
    },
    async saveDraft(id: string, version: number, body: DraftBody): Promise<Draft> {
      return decodeDraft(
        await client.request('PUT', `/api/v1/drafts/${seg(id)}`, { body: { ...body, version } }),
      );
    },
    async draft(id: string): Promise<Draft> {
      return decodeDraft(await client.request('GET', `/api/v1/drafts/${seg(id)}`));
    },
    async drafts(): Promise<Draft[]> {
      return arr(asObject(await client.request('GET', '/api/v1/drafts'), 'drafts'), 'drafts').map(
        decodeDraft,
      );
    },
    async deleteDraft(id: string): Promise<void> {
      await client.request('DELETE', `/api/v1/drafts/${seg(id)}`);
    },
    async send(body: DraftBody & { draftId: string | null }): Promise<{ id: string }> {
      const r = asObject(await client.request('POST', '/api/v1/messages', { body }), 'sent');
      return { id: str(r, 'id', 64) };
    },
    async receipts(messageId: string): Promise<Receipt[]> {
      const r = asObject(
        await client.request('GET', `/api/v1/messages/${seg(messageId)}/receipts`),
        'receipts',
      );
      return arr(r, 'recipients').map(decodeReceipt);
    },
    async recall(
      messageId: string,
    ): Promise<{ recalled: number; recipients: { address: string; outcome: RecallOutcome }[] }> {
      const r = asObject(
        await client.request('POST', `/api/v1/messages/${seg(messageId)}/recall`, { body: {} }),
        'recall',
      );
      return {
        recalled: num(r, 'recalled'),
        recipients: arr(r, 'recipients').map((v) => {
          const x = asObject(v, 'recipient');
          return { address: str(x, 'address', 320), outcome: oneOf(x, 'outcome', RECALL_OUTCOMES) };
        }),
      };
    },
    async startExport(format: 'mbox' | 'zip'): Promise<ExportJob> {
      return decodeExport(await client.request('POST', '/api/v1/exports', { body: { format } }));
    },
    async exportJob(id: string): Promise<ExportJob> {
      return decodeExport(await client.request('GET', `/api/v1/exports/${seg(id)}`));
    },
    async exports(): Promise<ExportJob[]> {
      return arr(asObject(await client.request('GET', '/api/v1/exports'), 'exports'), 'exports').map(
        decodeExport,
      );
    },
    async retirementWarning(): Promise<{ retirementDate: string; daysLeft: number } | null> {
      const r = asObject(await client.request('GET', '/api/v1/auth/session'), 'session');
      if (!r.retirementWarning) return null;
      const w = asObject(r.retirementWarning, 'retirementWarning');
      return { retirementDate: str(w, 'retirementDate', 20), daysLeft: num(w, 'daysLeft') };
    },
  };
}

export type SendApi = ReturnType<typeof sendApi>;

/** CSRF header for writes made outside the JSON client (uploads by XMLHttpRequest). */
export function csrfHeaders(): Record<string, string> {
  const csrf = getSession()?.csrfToken;
  return csrf ? { 'X-CSRF-Token': csrf } : {};
}

export const send: SendApi = sendApi(
  createJsonClient({ lang: () => loadLang(globalThis.localStorage), headers: csrfHeaders }),
);

export const exportDownloadUrl = (id: string) => `/api/v1/exports/${seg(id)}/download`;
