import type { Person } from '../../api/admin.ts';

/** Does the person match the typed text (name, employee number, mail address) and the chosen state/department? */
export function matchesPerson(
  p: Person,
  filters: { readonly text: string; readonly state: string; readonly department: string },
): boolean {
  const text = filters.text.trim().normalize('NFC').toLowerCase();
  if (
    text &&
    !p.realName.toLowerCase().includes(text) &&
    !p.employeeNumber.toLowerCase().includes(text) &&
    !(p.account?.address.toLowerCase().includes(text) ?? false)
  )
    return false;
  if (filters.state && p.state !== filters.state) return false;
  if (filters.department && p.departmentCode !== filters.department) return false;
  return true;
}
