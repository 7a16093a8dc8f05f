import type { CryptoKey } from 'jose';
import { importJWK } from 'jose';
import { type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { type ParsedJws, parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import { b64u, isObject, jsonFromB64u } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';
import { randomToken } from '../util/random.ts';
import { epochSeconds, isNumericDate } from '../util/time.ts';

/**
 * A registered gate's proof of itself, sent as `Authorization: Gate <token>` when it fetches its
 * bundle or uploads its log. Compact JWS signed with the gate's own P-256 key:
 * header `{alg: ES256, typ: "gjk+jwt", kid: <gate id>}`, payload
 * `{iss: <gate id>, aud: <server origin>, htm, htu: <path>, iat, jti}`. Accepted for 60 s, once.
 */
export const GATE_AUTH_TYP = 'gjk+jwt';
export const GATE_AUTH_MAX_AGE_SECONDS = 60;
export const GATE_AUTH_SCHEME = 'Gate';

export interface GateAuthInput {
  gateId: string;
  privateKey: CryptoKey;
  /** The server's origin (`https://gongjik.go.kr`). */
  origin: string;
  method: string;
  /** Request path (no query). */
  path: string;
  now: Date;
}

export function createGateAuthToken(input: GateAuthInput): Promise<string> {
  return signJws(
    { typ: GATE_AUTH_TYP, kid: input.gateId },
    {
      iss: input.gateId,
      aud: input.origin,
      htm: input.method.toUpperCase(),
      htu: input.path,
      iat: epochSeconds(input.now),
      jti: randomToken(16),
    },
    input.privateKey,
  );
}

/** Reads the gate id of a token (before its key is looked up); ERR_GATE_AUTH_INVALID when unreadable. */
export function readGateAuthToken(token: unknown): { gateId: string; jws: ParsedJws } {
  let jws: ParsedJws;
  try {
    jws = parseJws(token, 'gate auth', GATE_AUTH_TYP, 2048);
  } catch {
    return fail('ERR_GATE_AUTH_INVALID');
  }
  const { iss } = jws.payload;
  if (typeof iss !== 'string' || iss.length === 0 || iss.length > 64 || jws.header.kid !== iss) {
    fail('ERR_GATE_AUTH_INVALID');
  }
  return { gateId: iss, jws };
}

/** Verifies the signature with the registered key and the binding to this request; returns `jti`. */
export async function verifyGateAuthToken(
  token: string,
  check: { publicJwk: P256PublicJwk; origin: string; method: string; path: string; now: Date },
): Promise<{ jti: string; iat: number }> {
  const { jws } = readGateAuthToken(token);
  if (!(await verifyJwsSignature(token, check.publicJwk))) fail('ERR_GATE_AUTH_INVALID');
  const { aud, htm, htu, iat, jti } = jws.payload;
  const now = epochSeconds(check.now);
  if (
    aud !== check.origin ||
    htm !== check.method.toUpperCase() ||
    htu !== check.path ||
    !isNumericDate(iat) ||
    iat > now + 5 ||
    now - iat > GATE_AUTH_MAX_AGE_SECONDS ||
    typeof jti !== 'string' ||
    jti.length < 16 ||
    jti.length > 64
  ) {
    fail('ERR_GATE_AUTH_INVALID');
  }
  return { jti, iat };
}

/**
 * The setup code an administrator gets once when registering a gate (the gate's id and private
 * key), typed or pasted into the gate: `GJG1.<base64url(JSON {g, k})>`. The server keeps only the
 * public key.
 */
export const GATE_SETUP_PREFIX = 'GJG1.';

export interface GateSetup {
  gateId: string;
  privateJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string };
}

export function encodeGateSetupCode(setup: GateSetup): string {
  const { kty, crv, x, y, d } = setup.privateJwk;
  return `${GATE_SETUP_PREFIX}${b64u(JSON.stringify({ g: setup.gateId, k: { kty, crv, x, y, d } }))}`;
}

export function parseGateSetupCode(code: unknown): GateSetup {
  if (typeof code !== 'string') return fail('ERR_GATE_SETUP_CODE_INVALID');
  const text = code.replace(/\s+/g, '');
  if (!text.startsWith(GATE_SETUP_PREFIX) || text.length > 1024) fail('ERR_GATE_SETUP_CODE_INVALID');
  let value: unknown;
  try {
    value = jsonFromB64u(text.slice(GATE_SETUP_PREFIX.length), 'gate setup code');
  } catch {
    return fail('ERR_GATE_SETUP_CODE_INVALID');
  }
  if (!isObject(value) || typeof value.g !== 'string' || !isObject(value.k)) {
    return fail('ERR_GATE_SETUP_CODE_INVALID');
  }
  const { kty, crv, x, y, d } = value.k;
  if (typeof d !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(d) || !/^[0-9a-f-]{36}$/.test(value.g)) {
    fail('ERR_GATE_SETUP_CODE_INVALID');
  }
  let pub: P256PublicJwk;
  try {
    pub = toP256PublicJwk({ kty, crv, x, y });
  } catch {
    return fail('ERR_GATE_SETUP_CODE_INVALID');
  }
  return { gateId: value.g, privateJwk: { ...pub, d } };
}

/** Imports the gate's private key from its setup (non-extractable unless asked). */
export async function importGateKey(setup: GateSetup, extractable = false): Promise<CryptoKey> {
  try {
    return (await importJWK({ ...setup.privateJwk, alg: 'ES256' }, 'ES256', { extractable })) as CryptoKey;
  } catch {
    return fail('ERR_GATE_SETUP_CODE_INVALID');
  }
}
