// The provider's keys, kept in the database so that every server process signs with the same ones:
// ID-token signing keys (ES256 and RS256, published in the JWKS) and the secrets that sign its
// cookies. Private parts are sealed with the key-encryption key (key-secret.ts) and never logged.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { OidcKey } from '@gongjik/db';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { type KeyEncryptionKey, openSecret, sealSecret } from './key-secret.ts';

export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** How long a retired key stays in the JWKS (tokens it signed must still verify). */
export const RETIRED_KEY_RETENTION_MS = 7 * 24 * 3_600_000;

export type PrivateJwk = Record<string, unknown> & { kid: string; kty: string; alg: string; use: 'sig' };

export interface OidcKeyMaterial {
  /** private JWKs: the active key of each algorithm first, then retired ones (verification only) */
  readonly jwks: { readonly keys: PrivateJwk[] };
  /** cookie-signing secrets, newest first (the first signs, all verify) */
  readonly cookieKeys: string[];
  /** changes whenever a key is added or retired: processes compare it to reload */
  readonly version: string;
}

/** Advisory-lock key for key creation and rotation ('oidk'). */
const LOCK_KEY = 0x6f69646b;

function newKid(alg: string, now: Date): string {
  return `${alg.toLowerCase()}-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(6).toString('base64url')}`;
}

function generateSigningJwk(
  alg: SigningAlg,
  kid: string,
): { priv: PrivateJwk; pub: Record<string, unknown> } {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const meta = { kid, alg, use: 'sig' as const };
  return {
    priv: { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), ...meta } as PrivateJwk,
    pub: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), ...meta },
  };
}

async function insertSigningKey(db: Db, kek: KeyEncryptionKey, alg: SigningAlg, now: Date): Promise<string> {
  const kid = newKid(alg, now);
  const { priv, pub } = generateSigningJwk(alg, kid);
  await db
    .insertInto('oidc_keys')
    .values({
      kid,
      use: 'sig',
      alg,
      public_jwk: JSON.stringify(pub),
      private_enc: sealSecret(kek, JSON.stringify(priv), kid),
      created_at: now,
    })
    .execute();
  return kid;
}

async function insertCookieKey(db: Db, kek: KeyEncryptionKey, now: Date): Promise<string> {
  const kid = newKid('cookie', now);
  await db
    .insertInto('oidc_keys')
    .values({
      kid,
      use: 'cookie',
      alg: 'HS256',
      public_jwk: null,
      private_enc: sealSecret(kek, randomBytes(32).toString('base64url'), kid),
      created_at: now,
    })
    .execute();
  return kid;
}

async function liveKeys(db: Db): Promise<OidcKey[]> {
  return db
    .selectFrom('oidc_keys')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
}

/**
 * Makes sure an active signing key of each algorithm and a cookie key exist (creating them on the
 * first start, under an advisory lock so that concurrent processes create one set), then returns the
 * decrypted material. Throws ERR_OIDC_KEYS_UNREADABLE when the key secret does not open them.
 */
export async function loadOidcKeys(db: Db, kek: KeyEncryptionKey, now: Date): Promise<OidcKeyMaterial> {
  let rows = await liveKeys(db);
  const missing = (r: OidcKey[]) =>
    SIGNING_ALGS.some((alg) => !r.some((k) => k.use === 'sig' && k.alg === alg && !k.retired_at)) ||
    !r.some((k) => k.use === 'cookie' && !k.retired_at);
  if (missing(rows)) {
    rows = await inTransaction(db, async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY}, hashtext(current_schema()))`.execute(trx);
      const current = await liveKeys(trx);
      const created: string[] = [];
      for (const alg of SIGNING_ALGS) {
        if (!current.some((k) => k.use === 'sig' && k.alg === alg && !k.retired_at))
          created.push(await insertSigningKey(trx, kek, alg, now));
      }
      if (!current.some((k) => k.use === 'cookie' && !k.retired_at))
        created.push(await insertCookieKey(trx, kek, now));
      if (created.length)
        await audit(trx, {
          at: now,
          actor: 'system:oidc',
          action: 'oidc.keys.create',
          target: 'oidc:keys',
          details: { kids: created },
        });
      return liveKeys(trx);
    });
  }
  return materialOf(kek, rows);
}

function materialOf(kek: KeyEncryptionKey, rows: OidcKey[]): OidcKeyMaterial {
  // active first (newest first), then retired: oidc-provider signs with the first key of an alg
  const ordered = [...rows.filter((k) => !k.retired_at), ...rows.filter((k) => k.retired_at)];
  const keys = ordered
    .filter((k) => k.use === 'sig')
    .map((k) => JSON.parse(openSecret(kek, k.private_enc, k.kid)) as PrivateJwk);
  const cookieKeys = ordered
    .filter((k) => k.use === 'cookie')
    .map((k) => openSecret(kek, k.private_enc, k.kid));
  const version = rows.map((k) => `${k.kid}:${k.retired_at ? 'r' : 'a'}`).join(',');
  return { jwks: { keys }, cookieKeys, version };
}

/** The version string of the stored keys, cheap to poll (see OidcKeyMaterial.version). */
export async function oidcKeysVersion(db: Db): Promise<string> {
  const rows = await liveKeys(db);
  return rows.map((k) => `${k.kid}:${k.retired_at ? 'r' : 'a'}`).join(',');
}

export interface RotationResult {
  readonly created: string[];
  readonly retired: string[];
  readonly removed: string[];
}

/**
 * Rotation: new signing keys (one per algorithm) and a new cookie key become active; the previous
 * ones are retired (still published and accepted) and removed after RETIRED_KEY_RETENTION_MS.
 * Audited as `oidc.keys.rotate`.
 */
export async function rotateOidcKeys(
  db: Db,
  kek: KeyEncryptionKey,
  ctx: ChangeContext,
): Promise<RotationResult> {
  return inTransaction(db, async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY}, hashtext(current_schema()))`.execute(trx);
    const removed = await trx
      .updateTable('oidc_keys')
      .set({ removed_at: ctx.now })
      .where('removed_at', 'is', null)
      .where('retired_at', '<=', new Date(ctx.now.getTime() - RETIRED_KEY_RETENTION_MS))
      .returning('kid')
      .execute();
    const retired = await trx
      .updateTable('oidc_keys')
      .set({ retired_at: ctx.now })
      .where('removed_at', 'is', null)
      .where('retired_at', 'is', null)
      .returning('kid')
      .execute();
    const created: string[] = [];
    for (const alg of SIGNING_ALGS) created.push(await insertSigningKey(trx, kek, alg, ctx.now));
    created.push(await insertCookieKey(trx, kek, ctx.now));
    const result = { created, retired: retired.map((r) => r.kid), removed: removed.map((r) => r.kid) };
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'oidc.keys.rotate',
      target: 'oidc:keys',
      details: result,
      ip: ctx.ip,
    });
    return result;
  });
}
