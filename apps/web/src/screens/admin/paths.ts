/** The portal's own paths (below /admin, routed by AdminPortal). */
export const ADMIN_PATHS = {
  login: '/admin/login',
  agencies: '/admin/agencies',
  departments: '/admin/departments',
  people: '/admin/people',
  newPerson: '/admin/people/new',
  hrKeys: '/admin/hr-keys',
  audit: '/admin/audit',
} as const;

export const personPath = (employeeNumber: string) =>
  `${ADMIN_PATHS.people}/${encodeURIComponent(employeeNumber)}`;
