// The issuer's ES256 signing keys: generated on first use, stored in mid_issuer_keys, published as
// a JWKS. One key is active (signs new credentials, status lists and unlock tokens); earlier keys
// stay published until retired, so credentials they signed keep verifying after a rotation.
import {
  exportIssuerPrivateJwk,
  generateIssuerKey,
  type IssuerKey,
  importIssuerKey,
  toJwks,
} from '@gongjik/mobile-id';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';

export interface IssuerKeyring {
  /** signs everything new */
  readonly active: IssuerKey;
  /** every published key (active first) */
  readonly published: readonly IssuerKey[];
  readonly jwks: ReturnType<typeof toJwks>;
}

/** Keys are re-read at most this often, so a rotation by another process is picked up. */
const CACHE_MS = 60_000;
const cache = new WeakMap<Db, { at: number; ring: Promise<IssuerKeyring> }>();

export function getIssuerKeyring(db: Db, now: Date): Promise<IssuerKeyring> {
  const hit = cache.get(db);
  if (hit && now.getTime() - hit.at < CACHE_MS && now.getTime() >= hit.at) return hit.ring;
  const ring = loadKeyring(db, now);
  cache.set(db, { at: now.getTime(), ring });
  ring.catch(() => cache.delete(db));
  return ring;
}

/** Drops the cached keys of `db` (after a rotation in this process). */
export function forgetIssuerKeyring(db: Db): void {
  cache.delete(db);
}

async function loadKeyring(db: Db, now: Date): Promise<IssuerKeyring> {
  let rows = await publishedRows(db);
  if (!rows.some((r) => r.active)) {
    await inTransaction(db, async (trx) => {
      // Two processes starting at once: the advisory lock lets one create the key.
      await sql`select pg_advisory_xact_lock(hashtext('gongjik.mid_issuer_keys'))`.execute(trx);
      const again = await trx
        .selectFrom('mid_issuer_keys')
        .select('kid')
        .where('active', '=', true)
        .execute();
      if (again.length === 0) await insertKey(trx, { actor: 'system:mobile-id', now });
    });
    rows = await publishedRows(db);
  }
  const keys = await Promise.all(
    rows.map(async (r) => ({ active: r.active, key: await importIssuerKey(r.private_jwk as never) })),
  );
  const active = keys.find((k) => k.active)!.key;
  const published = [active, ...keys.filter((k) => !k.active).map((k) => k.key)];
  return { active, published, jwks: toJwks(published) };
}

function publishedRows(db: Db) {
  return db
    .selectFrom('mid_issuer_keys')
    .select(['kid', 'active', 'private_jwk'])
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

async function insertKey(trx: Db, ctx: ChangeContext): Promise<string> {
  const key = await generateIssuerKey({ extractable: true });
  const privateJwk = await exportIssuerPrivateJwk(key);
  await trx
    .insertInto('mid_issuer_keys')
    .values({
      kid: key.kid,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwk: JSON.stringify({ ...privateJwk, kid: key.kid }),
      active: true,
      created_at: ctx.now,
    })
    .execute();
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'mid.issuer-key.create',
    target: `mid-key:${key.kid}`,
    ip: ctx.ip,
  });
  return key.kid;
}

/**
 * Makes a new active key; the previous one stays published (verifiers keep accepting what it
 * signed) until an administrator retires it once its credentials have expired or been reissued.
 */
export async function rotateIssuerKey(
  db: Db,
  ctx: ChangeContext,
): Promise<{ kid: string; previous: string[] }> {
  const r = await inTransaction(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('gongjik.mid_issuer_keys'))`.execute(trx);
    const previous = await trx
      .updateTable('mid_issuer_keys')
      .set({ active: false })
      .where('active', '=', true)
      .returning('kid')
      .execute();
    const kid = await insertKey(trx, ctx);
    return { kid, previous: previous.map((p) => p.kid) };
  });
  forgetIssuerKeyring(db);
  return r;
}
