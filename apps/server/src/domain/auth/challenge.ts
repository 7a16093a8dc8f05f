// Login and registration challenges (docs/auth-protocol.md): single-use, bound to the server's
// public origin and to a purpose, valid 2 minutes.
//
// Issuing one needs no database write. The challenge ID is a UUIDv8 (RFC 9562) holding the issue
// time (48 bits, ms), 42 random bits and a 32-bit MAC over both, the purpose and the origin; the
// nonce is HMAC-SHA256 over the ID, the purpose and the origin. The HMAC key (256 bits) is shared by
// every server process through the database (auth_challenge_keys). So any process can check a
// challenge issued by another, and an ID the server never issued is told apart from a used one.
//
// Answering consumes the challenge with ONE atomic `INSERT … ON CONFLICT (id) DO NOTHING RETURNING`
// into auth_challenges: the first answer inserts the row, every later (or concurrent) answer — in
// any process — finds it and is refused as a replay. Rows are kept well past the expiry
// (housekeeping prunes them an hour after), and after that an old ID is refused as expired.
import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChallengePurpose } from '@gongjik/db';
import { PREPARED } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import type { Db } from '../db.ts';

export const CHALLENGE_PURPOSES = ['login', 'register'] as const satisfies readonly ChallengePurpose[];

export interface IssuedChallenge {
  readonly challengeId: string;
  /** base64url of 32 bytes (HMAC-SHA256 under the server's challenge key) */
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: ChallengePurpose;
  readonly expiresAt: string;
}

export interface ChallengeRecord {
  readonly id: string;
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: ChallengePurpose;
  readonly expiresAt: Date;
}

/** A challenge ID the server issued, decoded (its MAC checked). */
export interface DecodedChallenge {
  readonly id: string;
  readonly purpose: ChallengePurpose;
  /** the origin it was issued for */
  readonly origin: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly nonce: string;
}

/** What the client signs: `gongjik-login:v1\n<origin>\n<challengeId>\n<nonce>` in UTF-8. */
export function challengeMessage(c: { origin: string; challengeId: string; nonce: string }): Uint8Array {
  return new TextEncoder().encode(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- the key ----

const keys = new WeakMap<object, Promise<KeyObject>>();

// A KeyObject, not a Buffer: createHmac with a Buffer key costs ≈ 20 µs (Node 24 probes for a
// KeyObject by catching an exception), with a KeyObject ≈ 4 µs — five HMACs per login.
async function loadKey(db: Db, now: Date): Promise<KeyObject> {
  await db
    .insertInto('auth_challenge_keys')
    .values({ id: 1, key: randomBytes(32), created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('auth_challenge_keys')
    .select('key')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return createSecretKey(Buffer.from(row.key));
}

/** The challenge HMAC key: made on first use, then read once per process (and database). */
export function challengeKey(db: Db, now: Date): Promise<KeyObject> {
  let key = keys.get(db);
  if (!key) {
    key = loadKey(db, now);
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

// ---- IDs and nonces ----

const mac = (key: KeyObject, label: string, ...parts: (string | Uint8Array)[]) => {
  const h = createHmac('sha256', key).update(label);
  for (const p of parts) h.update('\n').update(p);
  return h.digest();
};

const toUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const idTag = (key: KeyObject, head: Uint8Array, purpose: ChallengePurpose, origin: string) =>
  mac(key, 'gongjik-challenge-id:v1', head, purpose, origin).subarray(0, 4);

const nonceOf = (key: KeyObject, id: string, purpose: ChallengePurpose, origin: string) =>
  mac(key, 'gongjik-challenge-nonce:v1', id, purpose, origin).toString('base64url');

/** Makes a challenge (no I/O besides the key, read once). */
export function makeChallenge(
  key: KeyObject,
  input: { purpose: ChallengePurpose; origin: string; now: Date; ttlMs: number },
): DecodedChallenge {
  const b = Buffer.alloc(16);
  b.writeUIntBE(input.now.getTime(), 0, 6);
  randomBytes(6).copy(b, 6);
  b[6] = 0x80 | (b[6]! & 0x0f); // version 8 (custom)
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  idTag(key, b.subarray(0, 12), input.purpose, input.origin).copy(b, 12);
  const id = toUuid(b);
  return {
    id,
    purpose: input.purpose,
    origin: input.origin,
    issuedAt: new Date(input.now.getTime()),
    expiresAt: new Date(input.now.getTime() + input.ttlMs),
    nonce: nonceOf(key, id, input.purpose, input.origin),
  };
}

/**
 * Decodes a challenge ID this server issued for `origin` (the public origin), or null when it
 * issued no such ID (malformed, other key, other origin, tampered). The purpose is the one the
 * ID's MAC verifies for.
 */
export function decodeChallengeId(
  key: KeyObject,
  challengeId: string,
  input: { origin: string; ttlMs: number },
): DecodedChallenge | null {
  if (!UUID.test(challengeId)) return null;
  const id = challengeId.toLowerCase();
  const b = Buffer.from(id.replaceAll('-', ''), 'hex');
  if (b[6]! >> 4 !== 8 || b[8]! >> 6 !== 2) return null;
  const head = b.subarray(0, 12);
  const tag = b.subarray(12);
  for (const purpose of CHALLENGE_PURPOSES) {
    if (!timingSafeEqual(idTag(key, head, purpose, input.origin), tag)) continue;
    const issuedAt = b.readUIntBE(0, 6);
    return {
      id,
      purpose,
      origin: input.origin,
      issuedAt: new Date(issuedAt),
      expiresAt: new Date(issuedAt + input.ttlMs),
      nonce: nonceOf(key, id, purpose, input.origin),
    };
  }
  return null;
}

/** Issues a challenge for `purpose`, bound to `origin` (the server's public origin). No database write. */
export async function issueChallenge(
  db: Db,
  input: { purpose: ChallengePurpose; origin: string; now: Date; ttlMs: number },
): Promise<IssuedChallenge> {
  const c = makeChallenge(await challengeKey(db, input.now), input);
  return {
    challengeId: c.id,
    nonce: c.nonce,
    origin: c.origin,
    purpose: c.purpose,
    expiresAt: c.expiresAt.toISOString(),
  };
}

/**
 * The statement that consumes a decoded challenge: inserts its row with `used_at`, or nothing when
 * the ID was answered before. `valid` false inserts nothing (lets a caller keep one fixed statement
 * text for an ID that did not decode). Exposed so a caller may put it in a CTE with its own next step.
 */
export function consumeChallengeSql(c: DecodedChallenge | null, now: Date) {
  return sql`
    insert into auth_challenges (id, nonce, origin, purpose, created_at, expires_at, used_at)
    select ${c?.id ?? null}::uuid, ${c?.nonce ?? null}::text, ${c?.origin ?? null}::text, ${c?.purpose ?? null}::text,
      ${c?.issuedAt ?? null}::timestamptz, ${c?.expiresAt ?? null}::timestamptz, ${now}::timestamptz
    where ${c !== null}::boolean
    on conflict (id) do nothing
    returning nonce, origin, purpose, expires_at`;
}

/** Why a consumed challenge is refused; null when it may be used. */
export function challengeRefusal(
  row: { origin: string; purpose: ChallengePurpose; expires_at: Date } | undefined,
  expected: { purpose: ChallengePurpose; origin: string; now: Date },
): GongjikError | null {
  if (!row) return null;
  if (row.expires_at.getTime() <= expected.now.getTime())
    return new GongjikError('ERR_AUTH_CHALLENGE_EXPIRED');
  if (row.purpose !== expected.purpose)
    return new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'purpose' });
  if (row.origin !== expected.origin)
    return new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'origin' });
  return null;
}

/**
 * Consumes a challenge for `purpose`: exactly one caller, in any process, gets it. `issuedOrigin`
 * is the server's public origin (challenges are issued for it); `origin` the one the answer came
 * from. Refusals: ERR_AUTH_CHALLENGE_INVALID (not issued here, other purpose, other origin),
 * ERR_AUTH_CHALLENGE_EXPIRED, ERR_AUTH_CHALLENGE_REPLAYED (already answered). A refused challenge
 * stays used.
 */
export async function consumeChallenge(
  db: Db,
  input: {
    challengeId: string;
    purpose: ChallengePurpose;
    origin: string;
    issuedOrigin: string;
    now: Date;
    ttlMs: number;
  },
): Promise<ChallengeRecord> {
  const key = await challengeKey(db, input.now);
  const c = decodeChallengeId(key, input.challengeId, { origin: input.issuedOrigin, ttlMs: input.ttlMs });
  if (!c) throw new GongjikError('ERR_AUTH_CHALLENGE_INVALID', { reason: 'unknown' });
  const r = await sql<{
    nonce: string;
    origin: string;
    purpose: ChallengePurpose;
    expires_at: Date;
  }>`${sql.raw(PREPARED)}${consumeChallengeSql(c, input.now)}`.execute(db);
  const row = r.rows[0];
  if (!row) throw new GongjikError('ERR_AUTH_CHALLENGE_REPLAYED');
  const refusal = challengeRefusal(row, input);
  if (refusal) throw refusal;
  return { id: c.id, nonce: row.nonce, origin: row.origin, purpose: row.purpose, expiresAt: row.expires_at };
}

/** Deletes challenges that expired more than `olderThanMs` ago (housekeeping). */
export async function pruneChallenges(db: Db, now: Date, olderThanMs = 3_600_000): Promise<number> {
  const r = await db
    .deleteFrom('auth_challenges')
    .where('expires_at', '<', new Date(now.getTime() - olderThanMs))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
