// The issuance workflow: HR requests → the head of department approves or rejects → identity
// check against the HR record → offer + SMS → the wallet redeems it (issuance.ts).
import type { MidRequest, MidRequestState, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { findPerson } from '../directory/people.ts';
import {
  agencyOf,
  approvingDepartments,
  assertEligible,
  assertMayDecide,
  checkIdentity,
} from './eligibility.ts';
import { createOffer } from './offers.ts';
import type { MidSettings } from './settings.ts';

export const OPEN_STATES = ['requested', 'approved', 'offered'] as const satisfies readonly MidRequestState[];
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

export interface RequestView {
  readonly id: string;
  readonly kind: 'first' | 'reissue';
  readonly reason: string;
  readonly state: MidRequestState;
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

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function requestView(db: Db, r: MidRequest): Promise<RequestView> {
  const offer = await db
    .selectFrom('mid_offers')
    .select('expires_at')
    .where('request_id', '=', r.id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    id: r.id,
    kind: r.kind,
    reason: r.reason,
    state: r.state,
    employeeNumber: r.employee_number,
    realName: r.real_name,
    agencyCode: r.agency_code,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    decidedBy: r.decided_by,
    decidedByEmployee: r.decided_by_employee,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note,
    identityCheckedAt: iso(r.identity_checked_at),
    offeredAt: iso(r.offered_at),
    offerExpiresAt: r.offered_at ? iso(offer?.expires_at ?? null) : null,
    issuedAt: iso(r.issued_at),
    expiredAt: iso(r.expired_at),
    cancelledBy: r.cancelled_by,
    cancelledAt: iso(r.cancelled_at),
    cancelReason: r.cancel_reason,
  };
}

/** Audits a refusal after its transaction rolled back, then rethrows it. */
export async function auditRefusal(
  db: Db,
  err: unknown,
  entry: { action: string; target: string; details?: Record<string, unknown> },
  ctx: ChangeContext,
): Promise<never> {
  if (err instanceof GongjikError && err.status < 500) {
    await audit(db, {
      at: ctx.now,
      actor: ctx.actor,
      action: entry.action,
      target: entry.target,
      outcome: 'refused',
      code: err.code,
      details: entry.details ?? {},
      ip: ctx.ip,
    });
  }
  throw err;
}

export interface NewRequest {
  readonly employeeNumber: string;
  readonly reason?: RequestReason;
}

/**
 * HR (or the holder, for a reissue) asks for a card. Refused: agency without the mobile ID
 * (ERR_MID_AGENCY_NOT_ADOPTED), retired or on leave (ERR_MID_PERSON_NOT_ELIGIBLE), no mobile
 * number (ERR_MID_NO_MOBILE), a request already open (ERR_MID_REQUEST_OPEN). A person who held a
 * card before gets a `reissue`. With `preApproved` (an HR change of a card holder) the request
 * skips the head's decision and waits in `approved` for the offer job.
 */
export async function createRequest(
  db: Db,
  input: NewRequest,
  ctx: ChangeContext,
  options: { preApproved?: boolean } = {},
): Promise<RequestView> {
  try {
    return await inTransaction(db, async (trx) => {
      const person = await findPerson(trx, input.employeeNumber, true);
      const agency = await agencyOf(trx, person);
      assertEligible(person, agency);
      const open = await trx
        .selectFrom('mid_requests')
        .select('id')
        .where('person_id', '=', person.id)
        .where('state', 'in', OPEN_STATES)
        .executeTakeFirst();
      if (open) throw new GongjikError('ERR_MID_REQUEST_OPEN');
      const held = await trx
        .selectFrom('mid_cards')
        .select('id')
        .where('person_id', '=', person.id)
        .executeTakeFirst();
      const kind = held ? 'reissue' : 'first';
      const row = await trx
        .insertInto('mid_requests')
        .values({
          person_id: person.id,
          kind,
          reason: input.reason ?? (held ? 'other' : 'new'),
          state: options.preApproved ? 'approved' : 'requested',
          real_name: person.real_name,
          employee_number: person.employee_number,
          agency_code: agency.code,
          requested_by: ctx.actor,
          requested_at: ctx.now,
          ...(options.preApproved
            ? { decided_by: ctx.actor, decided_at: ctx.now, decision_note: 'pre-approved' }
            : {}),
          updated_at: ctx.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'mid.request.create',
        target: `person:${person.employee_number}`,
        details: { request: row.id, kind, reason: row.reason, state: row.state },
        ip: ctx.ip,
      });
      return requestView(trx, row);
    });
  } catch (err) {
    return auditRefusal(
      db,
      err,
      { action: 'mid.request.create', target: `person:${input.employeeNumber}` },
      ctx,
    );
  }
}

async function lockRequest(trx: Db, id: string): Promise<MidRequest> {
  const r = await trx
    .selectFrom('mid_requests')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw new GongjikError('ERR_MID_REQUEST_UNKNOWN');
  return r;
}

async function personById(db: Db, id: string): Promise<Person> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Identity check + offer for an `approved` request (in its transaction): the request becomes
 * `offered` and the two messages are queued.
 */
async function offerApproved(trx: Db, request: MidRequest, settings: MidSettings, ctx: ChangeContext) {
  const person = await personById(trx, request.person_id);
  checkIdentity(request, person, await agencyOf(trx, person));
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'mid.request.identity-check',
    target: `person:${person.employee_number}`,
    details: {
      request: request.id,
      checked: ['realName', 'employeeNumber', 'agencyCode', 'state', 'mobile'],
    },
    ip: ctx.ip,
  });
  await createOffer(trx, request, person, settings, ctx);
  return trx
    .updateTable('mid_requests')
    .set({ state: 'offered', identity_checked_at: ctx.now, offered_at: ctx.now, updated_at: ctx.now })
    .where('id', '=', request.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The head of department decides. Approval runs the identity check and sends the offer in the same
 * transaction (so the request goes requested → approved → offered at once); a failed identity
 * check refuses the approval with its code and leaves the request `requested`. Refusals:
 * ERR_MID_REQUEST_UNKNOWN, ERR_MID_REQUEST_STATE, ERR_MID_SELF_APPROVAL,
 * ERR_MID_NOT_DEPARTMENT_HEAD, ERR_MID_IDENTITY_MISMATCH and the eligibility codes. All audited.
 */
export async function decideRequest(
  db: Db,
  requestId: string,
  approver: Person,
  decision: { approve: boolean; note?: string | null },
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<RequestView> {
  const action = decision.approve ? 'mid.request.approve' : 'mid.request.reject';
  let target = `mid-request:${requestId}`;
  try {
    return await inTransaction(db, async (trx) => {
      const request = await lockRequest(trx, requestId);
      target = `person:${request.employee_number}`;
      if (request.state !== 'requested')
        throw new GongjikError('ERR_MID_REQUEST_STATE', { state: request.state });
      const subject = await personById(trx, request.person_id);
      await assertMayDecide(trx, approver, subject);
      const decided = await trx
        .updateTable('mid_requests')
        .set({
          state: decision.approve ? 'approved' : 'rejected',
          decided_by: ctx.actor,
          decided_by_employee: approver.employee_number,
          decided_at: ctx.now,
          decision_note: decision.note ?? null,
          updated_at: ctx.now,
        })
        .where('id', '=', request.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action,
        target,
        details: {
          request: request.id,
          head: approver.employee_number,
          ...(decision.note ? { note: decision.note } : {}),
        },
        ip: ctx.ip,
      });
      const final = decision.approve ? await offerApproved(trx, decided, settings, ctx) : decided;
      return requestView(trx, final);
    });
  } catch (err) {
    return auditRefusal(
      db,
      err,
      { action, target, details: { request: requestId, head: approver.employee_number } },
      ctx,
    );
  }
}

/** HR or an administrator withdraws an open request; its offer stops working. Audited. */
export async function cancelRequest(
  db: Db,
  requestId: string,
  reason: string | null,
  ctx: ChangeContext,
): Promise<RequestView> {
  return inTransaction(db, async (trx) => {
    const request = await lockRequest(trx, requestId);
    if (!(OPEN_STATES as readonly string[]).includes(request.state)) {
      throw new GongjikError('ERR_MID_REQUEST_STATE', { state: request.state });
    }
    const row = await closeRequest(trx, request, reason ?? 'cancelled', ctx);
    return requestView(trx, row);
  });
}

/** Cancels a request and invalidates its offers (no audit of its own: callers audit). */
async function closeRequest(
  trx: Db,
  request: MidRequest,
  reason: string,
  ctx: ChangeContext,
): Promise<MidRequest> {
  await trx
    .updateTable('mid_offers')
    .set({ invalidated_at: ctx.now })
    .where('request_id', '=', request.id)
    .where('invalidated_at', 'is', null)
    .execute();
  const row = await trx
    .updateTable('mid_requests')
    .set({
      state: 'cancelled',
      cancelled_by: ctx.actor,
      cancelled_at: ctx.now,
      cancel_reason: reason,
      updated_at: ctx.now,
    })
    .where('id', '=', request.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'mid.request.cancel',
    target: `person:${request.employee_number}`,
    details: { request: request.id, from: request.state, reason },
    ip: ctx.ip,
  });
  return row;
}

/** Cancels every open request of a person (retirement). Returns how many. */
export async function cancelOpenRequests(
  trx: Db,
  personId: string,
  reason: string,
  ctx: ChangeContext,
): Promise<number> {
  const open = await trx
    .selectFrom('mid_requests')
    .selectAll()
    .where('person_id', '=', personId)
    .where('state', 'in', OPEN_STATES)
    .forUpdate()
    .execute();
  for (const r of open) await closeRequest(trx, r, reason, ctx);
  return open.length;
}

export async function getRequest(db: Db, id: string): Promise<RequestView> {
  const r = await db.selectFrom('mid_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new GongjikError('ERR_MID_REQUEST_UNKNOWN');
  return requestView(db, r);
}

export interface RequestQuery {
  readonly employeeNumber?: string;
  readonly state?: MidRequestState;
  readonly agencyCode?: string;
  readonly limit?: number;
}

export async function listRequests(db: Db, q: RequestQuery = {}): Promise<RequestView[]> {
  let query = db.selectFrom('mid_requests').selectAll();
  if (q.employeeNumber) query = query.where('employee_number', '=', q.employeeNumber);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.agencyCode) query = query.where('agency_code', '=', q.agencyCode);
  const rows = await query
    .orderBy('requested_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 500))
    .execute();
  return Promise.all(rows.map((r) => requestView(db, r)));
}

/** The head's queue: requests waiting in the departments they head, and their recent decisions. */
export async function approvalQueue(
  db: Db,
  head: Person,
): Promise<{ pending: RequestView[]; decided: RequestView[] }> {
  if (!head.is_department_head || !head.department_id) return { pending: [], decided: [] };
  const waiting = await db
    .selectFrom('mid_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .selectAll('r')
    .where('r.state', '=', 'requested')
    .where('p.agency_id', '=', head.agency_id)
    .where('p.id', '<>', head.id)
    .orderBy('r.requested_at')
    .limit(500)
    .execute();
  const pending: RequestView[] = [];
  for (const r of waiting) {
    const subject = await personById(db, r.person_id);
    if (head.department_id && (await approvingDepartments(db, subject)).includes(head.department_id)) {
      pending.push(await requestView(db, r));
    }
  }
  const decidedRows = await db
    .selectFrom('mid_requests')
    .selectAll()
    .where('decided_by_employee', '=', head.employee_number)
    .orderBy('decided_at', 'desc')
    .limit(50)
    .execute();
  return { pending, decided: await Promise.all(decidedRows.map((r) => requestView(db, r))) };
}

/**
 * The offer job: sends the offer of every request waiting in `approved` (pre-approved reissues
 * after an HR change). A request that fails its identity check is cancelled with the code as
 * reason. Returns how many were offered.
 */
export async function offerApprovedRequests(db: Db, settings: MidSettings, now: Date): Promise<number> {
  const ctx = { actor: 'system:mobile-id', now };
  const waiting = await db
    .selectFrom('mid_requests')
    .select('id')
    .where('state', '=', 'approved')
    .limit(100)
    .execute();
  let offered = 0;
  for (const { id } of waiting) {
    try {
      offered += await inTransaction(db, async (trx) => {
        const r = await trx
          .selectFrom('mid_requests')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (r?.state !== 'approved') return 0;
        await offerApproved(trx, r, settings, ctx);
        return 1;
      });
    } catch (err) {
      if (!(err instanceof GongjikError) || err.status >= 500) throw err;
      // The identity check failed (or the person is no longer eligible): cancel, with the code.
      await inTransaction(db, async (trx) => {
        const r = await lockRequest(trx, id);
        if (r.state === 'approved') await closeRequest(trx, r, err.code, ctx);
      });
    }
  }
  return offered;
}
