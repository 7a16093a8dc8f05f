// Building gates: registration by administrators (each gate with its own P-256 key; the server
// keeps the public key), gate authentication (a signed, single-use, request-bound token), the
// bundle a gate caches to decide offline, and the decisions it uploads.
import { createHash } from 'node:crypto';
import type { Gate } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import {
  GATE_AUTH_MAX_AGE_SECONDS,
  type GateBundle,
  jwkThumbprint,
  parseGatePolicy,
  readGateAuthToken,
  toP256PublicJwk,
  verifyGateAuthToken,
} from '@gongjik/mobile-id';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { getIssuerKeyring } from '../mobile-id/keys.ts';
import { publishStatusList, statusListUri } from '../mobile-id/status-lists.ts';

export interface GateView {
  readonly id: string;
  readonly name: string;
  readonly gateGroup: string;
  readonly building: string;
  readonly policy: Record<string, unknown>;
  readonly keyThumbprint: string;
  readonly state: 'active' | 'disabled';
  readonly createdAt: string;
  readonly createdBy: string;
  readonly disabledAt: string | null;
  readonly lastSyncAt: string | null;
  readonly lastLogAt: string | null;
}

export function gateView(g: Gate): GateView {
  return {
    id: g.id,
    name: g.name,
    gateGroup: g.gate_group,
    building: g.building,
    policy: g.policy,
    keyThumbprint: g.key_jkt,
    state: g.state,
    createdAt: g.created_at.toISOString(),
    createdBy: g.created_by,
    disabledAt: g.disabled_at?.toISOString() ?? null,
    lastSyncAt: g.last_sync_at?.toISOString() ?? null,
    lastLogAt: g.last_log_at?.toISOString() ?? null,
  };
}

export interface RegisterGateInput {
  readonly name: string;
  readonly gateGroup: string;
  readonly building: string;
  readonly policy: unknown;
  /** The gate's public key (its private key never reaches the server). */
  readonly publicJwk: unknown;
}

/** Registers a gate. ERR_GATE_POLICY_INVALID, ERR_MID_KEY_INVALID, ERR_GATE_KEY_IN_USE. */
export async function registerGate(db: Db, input: RegisterGateInput, ctx: ChangeContext): Promise<GateView> {
  const policy = parseGatePolicy(input.policy);
  const publicJwk = toP256PublicJwk(input.publicJwk);
  const jkt = await jwkThumbprint(publicJwk);
  return inTransaction(db, async (trx) => {
    const clash = await trx.selectFrom('gates').select('id').where('key_jkt', '=', jkt).executeTakeFirst();
    if (clash) throw new GongjikError('ERR_GATE_KEY_IN_USE');
    const row = await trx
      .insertInto('gates')
      .values({
        name: input.name,
        gate_group: input.gateGroup,
        building: input.building,
        policy: JSON.stringify(policy),
        public_jwk: JSON.stringify(publicJwk),
        key_jkt: jkt,
        state: 'active',
        created_by: ctx.actor,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'gate.create',
      target: `gate:${row.id}`,
      details: { name: input.name, gateGroup: input.gateGroup, building: input.building },
      ip: ctx.ip,
    });
    return gateView(row);
  });
}

export async function listGates(db: Db): Promise<GateView[]> {
  const rows = await db.selectFrom('gates').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(gateView);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findGate(db: Db, id: string): Promise<Gate | undefined> {
  if (!UUID.test(id)) return undefined;
  return db.selectFrom('gates').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Disables a gate: it can no longer fetch its bundle or upload its log. */
export async function disableGate(db: Db, id: string, ctx: ChangeContext): Promise<GateView> {
  return inTransaction(db, async (trx) => {
    const gate = await findGate(trx, id);
    if (!gate) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    if (gate.state === 'disabled') return gateView(gate);
    const row = await trx
      .updateTable('gates')
      .set({ state: 'disabled', disabled_at: ctx.now, disabled_by: ctx.actor })
      .where('id', '=', gate.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'gate.disable',
      target: `gate:${id}`,
      ip: ctx.ip,
    });
    return gateView(row);
  });
}

/**
 * Authenticates a gate from `Authorization: Gate <token>`: a registered (ERR_GATE_UNKNOWN), active
 * (ERR_GATE_DISABLED) gate, a valid signature with its key, bound to this origin, method and path,
 * at most 60 s old and never seen before (ERR_GATE_AUTH_INVALID).
 */
export async function authenticateGate(
  db: Db,
  authorization: string | undefined,
  request: { origin: string; method: string; path: string; now: Date },
): Promise<Gate> {
  const m = authorization ? /^Gate\s+(\S+)$/.exec(authorization) : null;
  if (!m) throw new GongjikError('ERR_GATE_AUTH_INVALID');
  const token = m[1]!;
  const { gateId } = readGateAuthToken(token);
  const gate = await findGate(db, gateId);
  if (!gate) throw new GongjikError('ERR_GATE_UNKNOWN');
  const { jti } = await verifyGateAuthToken(token, {
    publicJwk: toP256PublicJwk(gate.public_jwk),
    ...request,
  });
  if (gate.state !== 'active') throw new GongjikError('ERR_GATE_DISABLED');
  const jtiHash = createHash('sha256').update(`${gate.id}\n${jti}`).digest('base64url');
  await db.deleteFrom('gate_auth_nonces').where('expires_at', '<', request.now).execute();
  const inserted = await db
    .insertInto('gate_auth_nonces')
    .values({
      jti_hash: jtiHash,
      gate_id: gate.id,
      expires_at: new Date(request.now.getTime() + (GATE_AUTH_MAX_AGE_SECONDS + 10) * 1000),
    })
    .onConflict((oc) => oc.column('jti_hash').doNothing())
    .returning('jti_hash')
    .executeTakeFirst();
  if (!inserted) throw new GongjikError('ERR_GATE_AUTH_INVALID');
  return gate;
}

export interface BundleSettings {
  readonly issuer: string;
  readonly statusTtlSeconds: number;
  readonly statusValidSeconds: number;
}

/** The gate's bundle: its registration and policy, the issuer keys, every status list (signed). */
export async function gateBundle(
  db: Db,
  gate: Gate,
  settings: BundleSettings,
  now: Date,
): Promise<GateBundle> {
  const ring = await getIssuerKeyring(db, now);
  const ids = await db.selectFrom('mid_status_lists').select('id').orderBy('id').execute();
  const statusLists: GateBundle['statusLists'] = [];
  for (const { id } of ids) {
    const published = await publishStatusList(db, id, settings, now);
    if (published) statusLists.push({ uri: statusListUri(settings.issuer, id), token: published.token });
  }
  await db.updateTable('gates').set({ last_sync_at: now }).where('id', '=', gate.id).execute();
  return {
    v: 1,
    gate: {
      id: gate.id,
      name: gate.name,
      gateGroup: gate.gate_group,
      building: gate.building,
      policy: parseGatePolicy(gate.policy),
    },
    issuer: settings.issuer,
    issuerKeys: ring.jwks,
    statusLists,
    ttlSeconds: settings.statusTtlSeconds,
    issuedAt: now.toISOString(),
  };
}

export interface GateEventInput {
  readonly id: string;
  readonly at: string;
  readonly allow: boolean;
  readonly code: string | null;
  readonly subject: string | null;
  readonly agencyCode: string | null;
}

/** Stores uploaded decisions; an event already stored (a retried upload) is skipped. */
export async function recordGateEvents(
  db: Db,
  gate: Gate,
  events: readonly GateEventInput[],
  now: Date,
): Promise<{ accepted: number; duplicates: number }> {
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .insertInto('gate_events')
      .values(
        events.map((e) => ({
          gate_id: gate.id,
          event_id: e.id,
          at: new Date(e.at),
          decision: e.allow ? ('allow' as const) : ('deny' as const),
          code: e.code,
          subject: e.subject,
          agency_code: e.agencyCode,
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['gate_id', 'event_id']).doNothing())
      .returning('event_id')
      .execute();
    await trx.updateTable('gates').set({ last_log_at: now }).where('id', '=', gate.id).execute();
    return { accepted: rows.length, duplicates: events.length - rows.length };
  });
}

/** A gate's uploaded decisions, newest first. */
export async function gateEvents(db: Db, id: string, limit: number) {
  const gate = await findGate(db, id);
  if (!gate) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  const rows = await db
    .selectFrom('gate_events')
    .selectAll()
    .where('gate_id', '=', gate.id)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.event_id,
    at: r.at.toISOString(),
    allow: r.decision === 'allow',
    code: r.code,
    subject: r.subject,
    agencyCode: r.agency_code,
    receivedAt: r.received_at.toISOString(),
  }));
}
