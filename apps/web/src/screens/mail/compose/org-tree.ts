// The 조직도 as a forest: departments under their parents (a department whose parent is missing,
// or that would close a loop, is a root), with the number of people in each subtree.
import type { DirectoryDepartment } from './send-api.ts';

export interface OrgNode {
  readonly dept: DirectoryDepartment;
  readonly children: OrgNode[];
  readonly count: number;
}

/** Departments as a forest, in the order given (the server sorts by name). */
export function buildForest(departments: readonly DirectoryDepartment[]): OrgNode[] {
  const codes = new Set(departments.map((d) => d.code));
  const kids = new Map<string | null, DirectoryDepartment[]>();
  for (const d of departments) {
    const parent = d.parentCode && codes.has(d.parentCode) && d.parentCode !== d.code ? d.parentCode : null;
    kids.set(parent, [...(kids.get(parent) ?? []), d]);
  }
  const seen = new Set<string>();
  const make = (d: DirectoryDepartment): OrgNode => {
    seen.add(d.code);
    const children = (kids.get(d.code) ?? []).filter((c) => !seen.has(c.code)).map(make);
    return { dept: d, children, count: d.people.length + children.reduce((n, c) => n + c.count, 0) };
  };
  const roots = (kids.get(null) ?? []).map(make);
  // Departments in a loop (the server refuses those, but the page does not rely on it) become roots.
  for (const d of departments) if (!seen.has(d.code)) roots.push(make(d));
  return roots;
}
