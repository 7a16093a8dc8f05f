// Administrator bearer tokens. Only SHA-256 hashes are stored; the first token is created on the
// server's first start and written to <data-dir>/admin-token by the start-up code.
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type Db, inTransaction } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';

export async function hasAdminToken(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('admin_tokens')
    .select('id')
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Creates a token and returns it (the only time it is seen in clear). */
export async function createAdminToken(
  db: Db,
  label: string,
  ctx: { actor: string; now: Date },
): Promise<string> {
  const token = randomToken('gja');
  await registerAdminToken(db, token, label, ctx);
  return token;
}

/** Stores the hash of an existing token (e.g. one found in <data-dir>/admin-token). */
export async function registerAdminToken(
  db: Db,
  token: string,
  label: string,
  ctx: { actor: string; now: Date },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('admin_tokens')
      .values({ token_hash: sha256Hex(token), label, created_at: ctx.now })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) {
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'admin.token.create',
        target: `admin-token:${row.id}`,
        details: { label },
      });
    }
  });
}

/** The id of the admin token, or ERR_AUTH_ADMIN_REQUIRED. */
export async function verifyAdminToken(
  db: Db,
  token: string | undefined,
): Promise<{ id: string; actor: string }> {
  if (!token?.startsWith('gja_')) throw new GongjikError('ERR_AUTH_ADMIN_REQUIRED');
  const row = await db
    .selectFrom('admin_tokens')
    .select('id')
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_AUTH_ADMIN_REQUIRED');
  return { id: row.id, actor: `admin:${row.id.slice(0, 8)}` };
}
