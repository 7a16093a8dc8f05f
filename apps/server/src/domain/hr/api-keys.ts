// Per-system API keys of the HR integration API (e-사람, 차세대 인사랑), created by an administrator.
// Only the SHA-256 of a key is stored; the key is shown once, at creation.
import type { HrApiKey, HrSystem } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';

export const HR_SYSTEMS = ['e-saram', 'insaro'] as const satisfies readonly HrSystem[];

export interface HrApiKeyView {
  readonly id: string;
  readonly system: HrSystem;
  readonly label: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

const viewOf = (k: HrApiKey): HrApiKeyView => ({
  id: k.id,
  system: k.system,
  label: k.label,
  prefix: k.key_prefix,
  createdAt: k.created_at.toISOString(),
  lastUsedAt: k.last_used_at?.toISOString() ?? null,
  revokedAt: k.revoked_at?.toISOString() ?? null,
});

/** The audit actor of requests made with this key. */
export const hrActor = (k: Pick<HrApiKey, 'system' | 'id'>) => `hr:${k.system}:${k.id.slice(0, 8)}`;

export async function createHrApiKey(
  db: Db,
  input: { system: HrSystem; label: string },
  ctx: ChangeContext,
): Promise<HrApiKeyView & { key: string }> {
  const key = randomToken('gjhr');
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('hr_api_keys')
      .values({
        system: input.system,
        label: input.label,
        key_hash: sha256Hex(key),
        key_prefix: key.slice(0, 12),
        created_by: ctx.actor,
        created_at: ctx.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'hr.key.create',
      target: `hr-key:${row.id}`,
      details: { system: row.system, label: row.label, prefix: row.key_prefix },
      ip: ctx.ip,
    });
    return { ...viewOf(row), key };
  });
}

export async function listHrApiKeys(db: Db): Promise<HrApiKeyView[]> {
  return (await db.selectFrom('hr_api_keys').selectAll().orderBy('created_at').execute()).map(viewOf);
}

export async function revokeHrApiKey(db: Db, id: string, ctx: ChangeContext): Promise<void> {
  await inTransaction(db, async (trx) => {
    const r = await trx
      .updateTable('hr_api_keys')
      .set({ revoked_at: ctx.now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'hr.key.revoke',
      target: `hr-key:${id}`,
      ip: ctx.ip,
    });
  });
}

/** Record last use at most this often. */
const TOUCH_EVERY_MS = 60_000;

/** The live key presented, or ERR_HR_API_KEY_INVALID. */
export async function verifyHrApiKey(db: Db, key: string | undefined, now: Date): Promise<HrApiKey> {
  if (!key?.startsWith('gjhr_')) throw new GongjikError('ERR_HR_API_KEY_INVALID');
  const row = await db
    .selectFrom('hr_api_keys')
    .selectAll()
    .where('key_hash', '=', sha256Hex(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_HR_API_KEY_INVALID');
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= TOUCH_EVERY_MS) {
    await db.updateTable('hr_api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return row;
}
