import type { Department } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { getAgency } from './agencies.ts';

export interface DepartmentInput {
  readonly name: string;
  /** null or absent: a top-level department of the agency */
  readonly parentCode?: string | null;
}

export interface DepartmentView {
  readonly agencyCode: string;
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
}

/** The department with this code in the agency, or ERR_DIR_DEPARTMENT_UNKNOWN. */
export async function getDepartment(db: Db, agencyId: string, code: string): Promise<Department> {
  const row = await db
    .selectFrom('departments')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_DIR_DEPARTMENT_UNKNOWN', { department: code });
  return row;
}

/**
 * Creates or updates a department (HR owns the tree). Idempotent: the same input twice is one
 * change. Moving a department under its own subtree is refused with ERR_DIR_DEPARTMENT_CYCLE.
 */
export async function upsertDepartment(
  db: Db,
  agencyCode: string,
  code: string,
  input: DepartmentInput,
  ctx: ChangeContext,
): Promise<{ department: DepartmentView; created: boolean; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const agency = await getAgency(trx, agencyCode);
    const parent = input.parentCode ? await getDepartment(trx, agency.id, input.parentCode) : null;
    const existing = await trx
      .selectFrom('departments')
      .selectAll()
      .where('agency_id', '=', agency.id)
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    const name = input.name.normalize('NFC');
    const view: DepartmentView = { agencyCode, code, name, parentCode: parent?.code ?? null };
    if (existing && existing.name === name && existing.parent_id === (parent?.id ?? null)) {
      return { department: view, created: false, changed: false };
    }
    if (existing && parent) {
      // Walk up from the new parent: meeting the department itself would close a loop.
      for (let at: string | null = parent.id, steps = 0; at; steps++) {
        if (at === existing.id || steps > 1000)
          throw new GongjikError('ERR_DIR_DEPARTMENT_CYCLE', { department: code });
        const up: { parent_id: string | null } | undefined = await trx
          .selectFrom('departments')
          .select('parent_id')
          .where('id', '=', at)
          .executeTakeFirst();
        at = up?.parent_id ?? null;
      }
    }
    if (existing) {
      await trx
        .updateTable('departments')
        .set({ name, parent_id: parent?.id ?? null, updated_at: ctx.now })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('departments')
        .values({
          agency_id: agency.id,
          code,
          name,
          parent_id: parent?.id ?? null,
          created_at: ctx.now,
          updated_at: ctx.now,
        })
        .execute();
    }
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: existing ? 'directory.department.update' : 'directory.department.create',
      target: `department:${agencyCode}/${code}`,
      details: { name, parentCode: view.parentCode },
      ip: ctx.ip,
    });
    return { department: view, created: !existing, changed: true };
  });
}

export async function listDepartments(db: Db, agencyCode: string): Promise<DepartmentView[]> {
  const agency = await getAgency(db, agencyCode);
  const rows = await db
    .selectFrom('departments as d')
    .leftJoin('departments as p', 'p.id', 'd.parent_id')
    .select(['d.code', 'd.name', 'p.code as parentCode'])
    .where('d.agency_id', '=', agency.id)
    .orderBy('d.code')
    .execute();
  return rows.map((r) => ({ agencyCode, code: r.code, name: r.name, parentCode: r.parentCode }));
}
