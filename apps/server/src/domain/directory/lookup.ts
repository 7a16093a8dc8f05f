// What a signed-in official may look up in the directory to address mail: people who can receive
// mail (an active personal account whose person is not retired), found by name, mail id or
// department, and the department tree (조직도) of their own agency with its people. Only what a
// mail client needs: name, address, agency, department, position, head flag. Never the mobile
// number, the employee number, the retirement date or anyone retired, locked or not yet signed up.
import { sql } from 'kysely';
import type { Db } from '../db.ts';

export interface DirectoryPerson {
  readonly name: string;
  readonly address: string;
  readonly agency: string;
  readonly department: string | null;
  readonly position: string | null;
  readonly head: boolean;
}

export interface DirectoryDepartment {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly people: DirectoryPerson[];
}

export interface DirectoryTree {
  readonly agency: { readonly code: string; readonly name: string };
  /** every department of the agency (flat, with parentCode), by name */
  readonly departments: DirectoryDepartment[];
  /** people of the agency without a department */
  readonly unassigned: DirectoryPerson[];
  /** true when the agency has more people than the tree carries (MAX_TREE_PEOPLE) */
  readonly truncated: boolean;
}

export const MAX_SEARCH_RESULTS = 20;
export const MAX_TREE_PEOPLE = 5000;
export const MAX_TREE_DEPARTMENTS = 2000;

/** `%` and `_` (and the escape itself) taken literally in a LIKE pattern. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The people a mail can be addressed to: personal, active accounts of people not retired. */
function reachable(db: Db) {
  return db
    .selectFrom('accounts as a')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('agencies as g', 'g.id', 'a.agency_id')
    .leftJoin('departments as d', 'd.id', 'p.department_id')
    .where('a.state', '=', 'active')
    .where('a.institutional', '=', false)
    .where('p.state', '<>', 'retired')
    .select([
      'a.real_name as name',
      'a.local_part',
      'a.domain',
      'g.name as agency',
      'g.id as agency_id',
      'd.name as department',
      'd.code as department_code',
      'p.position',
      'p.is_department_head as head',
    ]);
}

type Row = {
  name: string;
  local_part: string;
  domain: string;
  agency: string;
  department: string | null;
  position: string | null;
  head: boolean;
};

const toPerson = (r: Row): DirectoryPerson => ({
  name: r.name,
  address: `${r.local_part}@${r.domain}`,
  agency: r.agency,
  department: r.department,
  position: r.position,
  head: r.head,
});

/**
 * Searches by name (anywhere in it), mail id (its start) or department name (anywhere), across
 * agencies; the caller's own agency first, then exact names, then by name. At most `limit` (≤ 20).
 */
export async function searchDirectory(
  db: Db,
  input: { q: string; callerAgencyId: string; limit?: number },
): Promise<DirectoryPerson[]> {
  const q = input.q.normalize('NFC').trim();
  if (!q) return [];
  const limit = Math.min(Math.max(input.limit ?? 10, 1), MAX_SEARCH_RESULTS);
  const anywhere = `%${likeEscape(q)}%`;
  // The mail id part of "kim@korea.kr" typed in full is still a mail-id search.
  const idPart = q.includes('@') ? q.slice(0, q.indexOf('@')) : q;
  const prefix = `${likeEscape(idPart.toLowerCase())}%`;
  const rows = await reachable(db)
    .where((eb) =>
      eb.or([
        eb('a.real_name', 'ilike', anywhere),
        eb('a.local_part', 'like', prefix),
        eb('d.name', 'ilike', anywhere),
      ]),
    )
    .orderBy(sql`(a.agency_id = ${input.callerAgencyId})`, 'desc')
    .orderBy(sql`(a.real_name = ${q})`, 'desc')
    .orderBy('a.real_name')
    .orderBy('a.local_part')
    .limit(limit)
    .execute();
  return rows.map(toPerson);
}

/** The caller's agency as a department tree with the people who can receive mail. */
export async function directoryTree(db: Db, agencyId: string): Promise<DirectoryTree> {
  const agency = await db
    .selectFrom('agencies')
    .select(['code', 'name'])
    .where('id', '=', agencyId)
    .executeTakeFirstOrThrow();
  const deps = await db
    .selectFrom('departments as d')
    .leftJoin('departments as parent', 'parent.id', 'd.parent_id')
    .select(['d.code', 'd.name', 'parent.code as parentCode'])
    .where('d.agency_id', '=', agencyId)
    .orderBy('d.name')
    .orderBy('d.code')
    .limit(MAX_TREE_DEPARTMENTS)
    .execute();
  const rows = await reachable(db)
    .where('a.agency_id', '=', agencyId)
    .orderBy('p.is_department_head', 'desc')
    .orderBy('a.real_name')
    .orderBy('a.local_part')
    .limit(MAX_TREE_PEOPLE + 1)
    .execute();
  const truncated = rows.length > MAX_TREE_PEOPLE;
  const byCode = new Map<string, DirectoryDepartment>(
    deps.map((d) => [d.code, { code: d.code, name: d.name, parentCode: d.parentCode ?? null, people: [] }]),
  );
  const unassigned: DirectoryPerson[] = [];
  for (const r of rows.slice(0, MAX_TREE_PEOPLE)) {
    const dept = r.department_code ? byCode.get(r.department_code) : undefined;
    (dept ? dept.people : unassigned).push(toPerson(r));
  }
  return { agency, departments: [...byCode.values()], unassigned, truncated };
}
