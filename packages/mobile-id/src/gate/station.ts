import { type ErrorCode, GongjikError } from '@gongjik/errors';
import { type IssuerJwks, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws } from '../keys/jws.ts';
import type { SeenCache } from '../seen-cache.ts';
import {
  MAX_STATUS_LIST_TOKEN_LENGTH,
  type VerifiedStatusList,
  verifyStatusListToken,
} from '../status-list/token.ts';
import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { epochSeconds } from '../util/time.ts';
import { applyGatePolicy, type GatePolicy, parseGatePolicy } from './policy.ts';
import { type GateFacts, type GateVerifyOptions, verifyGatePresentation } from './verify.ts';

/**
 * What a gate fetches from the server (`GET /api/v1/gates/bundle`, gate-authenticated) and keeps
 * to decide offline: its own registration and policy, the issuer's keys and the signed status
 * lists. `ttlSeconds` says when to fetch again; a list is still used offline until its own `exp`.
 */
export interface GateBundle {
  v: 1;
  gate: GateInfo;
  issuer: string;
  issuerKeys: IssuerJwks;
  statusLists: { uri: string; token: string }[];
  ttlSeconds: number;
  issuedAt: string;
}

export interface GateInfo {
  id: string;
  name: string;
  /** The audience wallets put in the proof (`aud`). */
  gateGroup: string;
  building: string;
  policy: GatePolicy;
}

/** A loaded bundle: status lists verified and decoded. */
export interface GateStation {
  gate: GateInfo;
  issuer: string;
  issuerKeys: IssuerJwks;
  statusLists: VerifiedStatusList[];
  /** When the bundle was issued and when to refresh it (seconds since the epoch). */
  issuedAt: number;
  refreshAt: number;
}

const MAX_LISTS = 64;

/** Checks the shape of an untrusted bundle (server answer or cache file). */
export function parseGateBundle(value: unknown): GateBundle {
  ensure(isObject(value) && value.v === 1, 'gate bundle');
  const { gate, issuer, issuerKeys, statusLists, ttlSeconds, issuedAt } = value;
  ensure(isObject(gate) && typeof gate.id === 'string' && typeof gate.name === 'string', 'gate bundle gate');
  ensure(typeof gate.gateGroup === 'string' && typeof gate.building === 'string', 'gate bundle gate');
  ensure(typeof issuer === 'string', 'gate bundle issuer');
  ensure(
    isObject(issuerKeys) && Array.isArray(issuerKeys.keys) && issuerKeys.keys.length <= 16,
    'gate bundle keys',
  );
  const keys = issuerKeys.keys.map((k) => {
    ensure(isObject(k) && typeof k.kid === 'string', 'gate bundle keys');
    return { ...toP256PublicJwk(k), kid: k.kid };
  });
  ensure(Array.isArray(statusLists) && statusLists.length <= MAX_LISTS, 'gate bundle status lists');
  const lists = statusLists.map((l) => {
    ensure(
      isObject(l) &&
        typeof l.uri === 'string' &&
        typeof l.token === 'string' &&
        l.token.length <= MAX_STATUS_LIST_TOKEN_LENGTH,
      'gate bundle status lists',
    );
    return { uri: l.uri, token: l.token };
  });
  ensure(typeof ttlSeconds === 'number' && ttlSeconds > 0 && ttlSeconds <= 86_400, 'gate bundle ttl');
  ensure(typeof issuedAt === 'string' && !Number.isNaN(Date.parse(issuedAt)), 'gate bundle issuedAt');
  return {
    v: 1,
    gate: {
      id: gate.id,
      name: gate.name,
      gateGroup: gate.gateGroup,
      building: gate.building,
      policy: parseGatePolicy(gate.policy),
    },
    issuer,
    issuerKeys: { keys },
    statusLists: lists,
    ttlSeconds,
    issuedAt,
  };
}

/**
 * Verifies the bundle's status lists with its issuer keys. A list past its `exp` is still loaded
 * (its signature checked at its own time), so that every presentation it covers is refused with
 * ERR_MID_STATUS_LIST_STALE rather than an unknown status.
 */
export async function loadGateStation(value: unknown, now: Date): Promise<GateStation> {
  const bundle = parseGateBundle(value);
  const statusLists: VerifiedStatusList[] = [];
  for (const l of bundle.statusLists) {
    const opts = { issuerKeys: bundle.issuerKeys, uri: l.uri };
    try {
      statusLists.push(await verifyStatusListToken(l.token, { ...opts, now }));
    } catch (err) {
      if (!(err instanceof GongjikError) || err.code !== 'ERR_MID_STATUS_LIST_STALE') throw err;
      const exp = parseJws(l.token, 'status list token', undefined, MAX_STATUS_LIST_TOKEN_LENGTH).payload
        .exp as number;
      statusLists.push(await verifyStatusListToken(l.token, { ...opts, now: new Date((exp - 1) * 1000) }));
    }
  }
  const issuedAt = epochSeconds(new Date(bundle.issuedAt));
  return {
    gate: bundle.gate,
    issuer: bundle.issuer,
    issuerKeys: bundle.issuerKeys,
    statusLists,
    issuedAt,
    refreshAt: issuedAt + bundle.ttlSeconds,
  };
}

/**
 * The verifier options a Gongjik gate uses: its gate group as the audience, the issuer it synced
 * from, and the server-checked PIN required (`requireUnlock`): a copied wallet storage without a
 * recent unlock does not open the gate (DESIGN flow 7).
 */
export function gateVerifyOptions(station: GateStation, now: Date, seenCache: SeenCache): GateVerifyOptions {
  return {
    issuerKeys: station.issuerKeys,
    statusList: station.statusLists,
    gateGroup: station.gate.gateGroup,
    issuer: station.issuer,
    now,
    seenCache,
    requireUnlock: true,
  };
}

/** One decision, as shown and logged. */
export interface GateDecision {
  /** Random id: the log's idempotency key. */
  id: string;
  allow: boolean;
  /** The refusal's stable code (null on ALLOW). */
  code: ErrorCode | null;
  /** Details for the refusal's message (safe values only). */
  details: Record<string, string | number>;
  at: string;
  /** Who, when the credential verified that far. */
  subject: string | null;
  agencyCode: string | null;
}

/** Runs `verify` (async or sync verifier) and the zone policy, and turns the outcome into a decision. */
export function decide(station: GateStation, now: Date, verify: () => GateFacts): GateDecision;
export function decide(
  station: GateStation,
  now: Date,
  verify: () => Promise<GateFacts>,
): Promise<GateDecision>;
export function decide(
  station: GateStation,
  now: Date,
  verify: () => GateFacts | Promise<GateFacts>,
): GateDecision | Promise<GateDecision> {
  const base = { id: globalThis.crypto.randomUUID(), at: now.toISOString() };
  const onFacts = (facts: GateFacts): GateDecision => {
    try {
      applyGatePolicy(station.gate.policy, {
        agencyCode: facts.agencyCode,
        building: station.gate.building,
        now,
      });
    } catch (err) {
      return { ...base, ...refusal(err), subject: facts.subject, agencyCode: facts.agencyCode };
    }
    return {
      ...base,
      allow: true,
      code: null,
      details: {},
      subject: facts.subject,
      agencyCode: facts.agencyCode,
    };
  };
  const onError = (err: unknown): GateDecision => ({
    ...base,
    ...refusal(err),
    subject: null,
    agencyCode: null,
  });
  let result: GateFacts | Promise<GateFacts>;
  try {
    result = verify();
  } catch (err) {
    return onError(err);
  }
  if (result instanceof Promise) return result.then(onFacts, onError);
  return onFacts(result);
}

function refusal(err: unknown): { allow: false; code: ErrorCode; details: Record<string, string | number> } {
  if (err instanceof GongjikError) {
    const details: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(err.details ?? {})) {
      if (typeof v === 'string' || typeof v === 'number') details[k] = v;
    }
    return { allow: false, code: err.code, details };
  }
  return { allow: false, code: 'ERR_MID_MALFORMED', details: { part: 'gate QR' } };
}

/** A gate's whole offline decision with WebCrypto (the browser kiosk). */
export function decideAtGate(
  qr: string,
  station: GateStation,
  now: Date,
  seenCache: SeenCache,
): Promise<GateDecision> {
  return decide(station, now, () => verifyGatePresentation(qr, gateVerifyOptions(station, now, seenCache)));
}
