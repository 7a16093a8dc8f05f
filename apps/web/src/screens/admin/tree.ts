// The department tree from the flat list the API returns (each with its parent's code).
import type { Department } from '../../api/admin.ts';

export interface DepartmentNode {
  readonly department: Department;
  readonly children: DepartmentNode[];
}

/**
 * Roots first, children sorted by name (Korean collation). A department whose parent is missing
 * from the list is shown as a root; the server refuses loops, and a loop in the data would only
 * leave its members out (each node is placed once).
 */
export function buildTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>();
  for (const d of departments) nodes.set(d.code, { department: d, children: [] });
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.department.parentCode ? nodes.get(node.department.parentCode) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byName = (a: DepartmentNode, b: DepartmentNode) =>
    a.department.name.localeCompare(b.department.name, 'ko') ||
    a.department.code.localeCompare(b.department.code);
  const sort = (list: DepartmentNode[], depth: number) => {
    list.sort(byName);
    if (depth < 50) for (const n of list) sort(n.children, depth + 1);
  };
  sort(roots, 0);
  return roots;
}

/** Depth-first order with the depth of each node (for an indented <select>). */
export function flatten(
  tree: readonly DepartmentNode[],
  depth = 0,
): { department: Department; depth: number }[] {
  const out: { department: Department; depth: number }[] = [];
  if (depth > 50) return out;
  for (const node of tree) {
    out.push({ department: node.department, depth });
    out.push(...flatten(node.children, depth + 1));
  }
  return out;
}
