// The mobile-ID endpoints the web app uses, with checked answers:
// - the holder and the head of department (cookie session + X-CSRF-Token): /api/v1/mid/me…,
//   /api/v1/mid/approvals, /api/v1/mid/requests/{id}/approve|reject;
// - HR officers and administrators in the portal (admin token): requests, SMS outbox, status lists.
import { asObject, optStr, str } from './decode.ts';
import { BadResponseError } from './http.ts';
import { type JsonClient, seg } from './request.ts';

export const REQUEST_STATES = [
  'requested',
  'approved',
  'rejected',
  'offered',
  'issued',
  'expired',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const CARD_STATES = ['active', 'suspended', 'locked', 'revoked'] as const;
export type CardState = (typeof CARD_STATES)[number];
export const REQUEST_REASONS = [
  'new',
  'phone-change',
  'app-deleted',
  'pin-locked',
  'lost',
  'hr-change',
  'other',
] as const;
export type RequestReason = (typeof REQUEST_REASONS)[number];
/** What a holder may give as the reason of a reissue. */
export const REISSUE_REASONS = ['phone-change', 'app-deleted', 'pin-locked', 'lost', 'other'] as const;
export type ReissueReason = (typeof REISSUE_REASONS)[number];
export const SMS_STATES = ['stored', 'pending', 'sending', 'sent', 'failed'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/** Open requests: the head can still decide (requested) or the holder can still install (offered). */
export const OPEN_REQUEST_STATES: readonly RequestState[] = ['requested', 'approved', 'offered'];

export interface MidRequest {
  readonly id: string;
  readonly kind: 'first' | 'reissue';
  readonly reason: string;
  readonly state: RequestState;
  readonly employeeNumber: string;
  readonly realName: string;
  readonly agencyCode: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedByEmployee: string | null;
  readonly decidedAt: string | null;
  readonly decisionNote: string | null;
  readonly identityCheckedAt: string | null;
  readonly offeredAt: string | null;
  readonly offerExpiresAt: string | null;
  readonly issuedAt: string | null;
  readonly expiredAt: string | null;
  readonly cancelledBy: string | null;
  readonly cancelledAt: string | null;
  readonly cancelReason: string | null;
}

export interface MidCard {
  readonly id: string;
  readonly state: CardState;
  readonly revokeReason: string | null;
  readonly deviceKeyThumbprint: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly stateChangedAt: string;
  readonly stateChangedBy: string;
  readonly reissueDueAt: string | null;
  readonly pinSet: boolean;
  readonly pinFailures: number;
  readonly lastUnlockAt: string | null;
}

export interface MidOverview {
  readonly employeeNumber: string;
  readonly realName: string;
  /** the refusal code a request would get, or null */
  readonly ineligible: string | null;
  readonly card: MidCard | null;
  readonly history: MidCard[];
  readonly requests: MidRequest[];
}

export interface SmsMessage {
  readonly id: string;
  readonly to: string;
  readonly kind: string;
  readonly body: string | null;
  readonly ref: string | null;
  readonly provider: string;
  readonly state: SmsState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export interface StatusList {
  readonly id: number;
  readonly size: number;
  readonly allocated: number;
  readonly version: number;
  readonly createdAt: string;
  readonly closedAt: string | null;
  readonly cards: Readonly<Record<CardState, number>>;
}

export interface MidCounts {
  readonly requests: Readonly<Record<RequestState, number>>;
  readonly cards: Readonly<Record<CardState, number>>;
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[]): T {
  const value = obj[key];
  if (typeof value !== 'string' || !values.includes(value as T)) throw new BadResponseError(key);
  return value as T;
}

function num(obj: Record<string, unknown>, key: string): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadResponseError(key);
  return value;
}

function bool(obj: Record<string, unknown>, key: string): boolean {
  const value = obj[key];
  if (typeof value !== 'boolean') throw new BadResponseError(key);
  return value;
}

function arr(obj: Record<string, unknown>, key: string): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value)) throw new BadResponseError(key);
  return value;
}

function counts<T extends string>(value: unknown, keys: readonly T[], what: string): Record<T, number> {
  const o = asObject(value, what);
  return Object.fromEntries(keys.map((k) => [k, typeof o[k] === 'number' ? (o[k] as number) : 0])) as Record<
    T,
    number
  >;
}

export function decodeRequest(value: unknown): MidRequest {
  const r = asObject(value, 'request');
  const at = (k: string) => optStr(r, k, 64);
  const kind = str(r, 'kind', 16);
  if (kind !== 'first' && kind !== 'reissue') throw new BadResponseError('kind');
  return {
    id: str(r, 'id', 64),
    kind,
    reason: str(r, 'reason', 64),
    state: oneOf(r, 'state', REQUEST_STATES),
    employeeNumber: str(r, 'employeeNumber', 32),
    realName: str(r, 'realName', 64),
    agencyCode: str(r, 'agencyCode', 32),
    requestedBy: str(r, 'requestedBy', 200),
    requestedAt: str(r, 'requestedAt', 64),
    decidedBy: optStr(r, 'decidedBy', 200),
    decidedByEmployee: optStr(r, 'decidedByEmployee', 32),
    decidedAt: at('decidedAt'),
    decisionNote: optStr(r, 'decisionNote', 500),
    identityCheckedAt: at('identityCheckedAt'),
    offeredAt: at('offeredAt'),
    offerExpiresAt: at('offerExpiresAt'),
    issuedAt: at('issuedAt'),
    expiredAt: at('expiredAt'),
    cancelledBy: optStr(r, 'cancelledBy', 200),
    cancelledAt: at('cancelledAt'),
    cancelReason: optStr(r, 'cancelReason', 200),
  };
}

function decodeCard(value: unknown): MidCard {
  const c = asObject(value, 'card');
  return {
    id: str(c, 'id', 64),
    state: oneOf(c, 'state', CARD_STATES),
    revokeReason: optStr(c, 'revokeReason', 64),
    deviceKeyThumbprint: str(c, 'deviceKeyThumbprint', 64),
    issuedAt: str(c, 'issuedAt', 64),
    validUntil: str(c, 'validUntil', 64),
    stateChangedAt: str(c, 'stateChangedAt', 64),
    stateChangedBy: str(c, 'stateChangedBy', 200),
    reissueDueAt: optStr(c, 'reissueDueAt', 64),
    pinSet: bool(c, 'pinSet'),
    pinFailures: num(c, 'pinFailures'),
    lastUnlockAt: optStr(c, 'lastUnlockAt', 64),
  };
}

export function decodeOverview(value: unknown): MidOverview {
  const o = asObject(value, 'overview');
  return {
    employeeNumber: str(o, 'employeeNumber', 32),
    realName: str(o, 'realName', 64),
    ineligible: optStr(o, 'ineligible', 100),
    card: o.card === null || o.card === undefined ? null : decodeCard(o.card),
    history: arr(o, 'history').map(decodeCard),
    requests: arr(o, 'requests').map(decodeRequest),
  };
}

function decodeSms(value: unknown): SmsMessage {
  const m = asObject(value, 'message');
  return {
    id: str(m, 'id', 64),
    to: str(m, 'to', 32),
    kind: str(m, 'kind', 32),
    body: optStr(m, 'body', 2000),
    ref: optStr(m, 'ref', 200),
    provider: str(m, 'provider', 32),
    state: oneOf(m, 'state', SMS_STATES),
    attempts: num(m, 'attempts'),
    lastError: optStr(m, 'lastError', 1000),
    createdAt: str(m, 'createdAt', 64),
    sentAt: optStr(m, 'sentAt', 64),
  };
}

function decodeStatusList(value: unknown): StatusList {
  const l = asObject(value, 'list');
  return {
    id: num(l, 'id'),
    size: num(l, 'size'),
    allocated: num(l, 'allocated'),
    version: num(l, 'version'),
    createdAt: str(l, 'createdAt', 64),
    closedAt: optStr(l, 'closedAt', 64),
    cards: counts(l.cards, CARD_STATES, 'cards'),
  };
}

/** The holder and the head of department (session). */
export function midPortalApi(client: JsonClient) {
  const cardChange = async (path: string) => {
    const r = asObject(await client.request('POST', path, { body: {} }), 'change');
    return { card: decodeCard(r.card), changed: bool(r, 'changed') };
  };
  return {
    async me(): Promise<MidOverview> {
      return decodeOverview(await client.request('GET', '/api/v1/mid/me'));
    },
    suspend: () => cardChange('/api/v1/mid/me/suspend'),
    resume: () => cardChange('/api/v1/mid/me/resume'),
    async reissue(reason: ReissueReason): Promise<MidRequest> {
      return decodeRequest(await client.request('POST', '/api/v1/mid/me/reissue', { body: { reason } }));
    },
    async approvals(): Promise<{ pending: MidRequest[]; decided: MidRequest[] }> {
      const r = asObject(await client.request('GET', '/api/v1/mid/approvals'), 'approvals');
      return { pending: arr(r, 'pending').map(decodeRequest), decided: arr(r, 'decided').map(decodeRequest) };
    },
    async decide(id: string, approve: boolean, note: string | null): Promise<MidRequest> {
      return decodeRequest(
        await client.request('POST', `/api/v1/mid/requests/${seg(id)}/${approve ? 'approve' : 'reject'}`, {
          body: note ? { note } : {},
        }),
      );
    },
  };
}

/** HR officers and administrators in the portal (admin token). */
export function midAdminApi(client: JsonClient) {
  return {
    async listRequests(q: {
      state?: RequestState | '';
      agency?: string;
      employeeNumber?: string;
      limit?: number;
    }): Promise<MidRequest[]> {
      const r = asObject(
        await client.request('GET', '/api/v1/admin/mobile-id/requests', { query: q }),
        'requests',
      );
      return arr(r, 'requests').map(decodeRequest);
    },
    async createRequest(input: { employeeNumber: string; reason?: RequestReason }): Promise<MidRequest> {
      return decodeRequest(await client.request('POST', '/api/v1/admin/mobile-id/requests', { body: input }));
    },
    async cancelRequest(id: string): Promise<MidRequest> {
      return decodeRequest(
        await client.request('POST', `/api/v1/admin/mobile-id/requests/${seg(id)}/cancel`, { body: {} }),
      );
    },
    async sms(q: { state?: SmsState | ''; to?: string; limit?: number }): Promise<SmsMessage[]> {
      const r = asObject(await client.request('GET', '/api/v1/admin/sms-outbox', { query: q }), 'outbox');
      return arr(r, 'messages').map(decodeSms);
    },
    async statusLists(): Promise<StatusList[]> {
      const r = asObject(await client.request('GET', '/api/v1/admin/mobile-id/status-lists'), 'lists');
      return arr(r, 'lists').map(decodeStatusList);
    },
    async counts(): Promise<MidCounts> {
      const r = asObject(await client.request('GET', '/api/v1/admin/mobile-id/counts'), 'counts');
      return {
        requests: counts(r.requests, REQUEST_STATES, 'requests'),
        cards: counts(r.cards, CARD_STATES, 'cards'),
      };
    },
    async runJobs(): Promise<void> {
      await client.request('POST', '/api/v1/admin/mobile-id/jobs/run', { body: {} });
    },
  };
}
