/** The portal's own paths (below /admin, routed by AdminPortal). */
export const ADMIN_PATHS = {
  login: '/admin/login',
  agencies: '/admin/agencies',
  departments: '/admin/departments',
  people: '/admin/people',
  newPerson: '/admin/people/new',
  hrKeys: '/admin/hr-keys',
  audit: '/admin/audit',
  gates: '/admin/gates',
  oidc: '/admin/oidc',
  midRequests: '/admin/mobile-id/requests',
  smsOutbox: '/admin/sms-outbox',
  midStatus: '/admin/mobile-id/status',
} as const;

export const personPath = (employeeNumber: string) =>
  `${ADMIN_PATHS.people}/${encodeURIComponent(employeeNumber)}`;

export type Screen =
  | {
      readonly kind:
        | 'login'
        | 'agencies'
        | 'departments'
        | 'people'
        | 'newPerson'
        | 'hrKeys'
        | 'audit'
        | 'gates'
        | 'oidc'
        | 'midRequests'
        | 'smsOutbox'
        | 'midStatus'
        | 'home';
    }
  | { readonly kind: 'person'; readonly employeeNumber: string }
  | { readonly kind: 'notFound' };

export function screenOf(pathname: string): Screen {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/admin') return { kind: 'home' };
  for (const [kind, p] of Object.entries(ADMIN_PATHS)) if (p === path) return { kind } as Screen;
  const person = /^\/admin\/people\/([^/]+)$/.exec(path);
  if (person) {
    try {
      return { kind: 'person', employeeNumber: decodeURIComponent(person[1]!) };
    } catch {
      return { kind: 'notFound' };
    }
  }
  return { kind: 'notFound' };
}
