// The administrator and HR portal, loaded on demand (a dynamic import from App.tsx) so officials
// never download it. It routes its own /admin/… paths.
import { useEffect } from 'react';
import { Link } from '../../app/Link.tsx';
import { navigate, usePathname } from '../../app/router.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { MessageKey } from '../../i18n/ko.ts';
import { NotFoundScreen } from '../NotFoundScreen.tsx';
import { AdminLoginScreen } from './AdminLoginScreen.tsx';
import { AgenciesScreen } from './AgenciesScreen.tsx';
import { AuditScreen } from './AuditScreen.tsx';
import { setAdminToken, useAdminToken } from './admin-token.ts';
import { DepartmentsScreen } from './DepartmentsScreen.tsx';
import { GatesScreen } from './GatesScreen.tsx';
import { HrKeysScreen } from './HrKeysScreen.tsx';
import { MidRequestsScreen } from './MidRequestsScreen.tsx';
import { MidStatusScreen } from './MidStatusScreen.tsx';
import { OidcClientsScreen } from './OidcClientsScreen.tsx';
import { PeopleScreen } from './PeopleScreen.tsx';
import { PersonScreen } from './PersonScreen.tsx';
import { ADMIN_PATHS, screenOf } from './paths.ts';
import { SmsOutboxScreen } from './SmsOutboxScreen.tsx';

const SECTIONS: readonly { readonly path: string; readonly label: MessageKey }[] = [
  { path: ADMIN_PATHS.agencies, label: 'admin.nav.agencies' },
  { path: ADMIN_PATHS.departments, label: 'admin.nav.departments' },
  { path: ADMIN_PATHS.people, label: 'admin.nav.people' },
  { path: ADMIN_PATHS.hrKeys, label: 'admin.nav.hrKeys' },
  { path: ADMIN_PATHS.oidc, label: 'portal.nav.oidc' },
  { path: ADMIN_PATHS.midRequests, label: 'portal.nav.midRequests' },
  { path: ADMIN_PATHS.smsOutbox, label: 'portal.nav.smsOutbox' },
  { path: ADMIN_PATHS.midStatus, label: 'portal.nav.midStatus' },
  { path: ADMIN_PATHS.audit, label: 'admin.nav.audit' },
  { path: ADMIN_PATHS.gates, label: 'gate.admin.nav' },
];

export default function AdminPortal() {
  const { t } = useI18n();
  const token = useAdminToken();
  const pathname = usePathname();
  const screen = screenOf(pathname);
  const needsLogin = !token && screen.kind !== 'login' && screen.kind !== 'notFound';
  useEffect(() => {
    if (needsLogin) navigate(`${ADMIN_PATHS.login}`, { replace: true });
    else if (token && (screen.kind === 'home' || screen.kind === 'login'))
      navigate(ADMIN_PATHS.agencies, { replace: true });
  }, [needsLogin, token, screen.kind]);
  if (screen.kind === 'notFound') return <NotFoundScreen />;
  if (!token) return screen.kind === 'login' ? <AdminLoginScreen /> : null;
  const current = screen.kind === 'person' || screen.kind === 'newPerson' ? ADMIN_PATHS.people : pathname;
  return (
    <div className="portal">
      <nav className="portal-nav" aria-label={t('admin.nav.label')}>
        <p className="portal-nav-title">{t('admin.portal')}</p>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.path}>
              <Link
                to={s.path}
                className={current === s.path ? 'is-current' : undefined}
                current={current === s.path}
              >
                {t(s.label)}
              </Link>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setAdminToken(null);
                navigate(ADMIN_PATHS.login);
              }}
            >
              {t('admin.signOut')}
            </button>
          </li>
        </ul>
      </nav>
      <div className="portal-body">
        {screen.kind === 'agencies' ? <AgenciesScreen /> : null}
        {screen.kind === 'departments' ? <DepartmentsScreen /> : null}
        {screen.kind === 'people' ? <PeopleScreen /> : null}
        {screen.kind === 'newPerson' ? <PersonScreen employeeNumber={null} /> : null}
        {screen.kind === 'person' ? <PersonScreen employeeNumber={screen.employeeNumber} /> : null}
        {screen.kind === 'hrKeys' ? <HrKeysScreen /> : null}
        {screen.kind === 'audit' ? <AuditScreen /> : null}
        {screen.kind === 'gates' ? <GatesScreen /> : null}
        {screen.kind === 'oidc' ? <OidcClientsScreen /> : null}
        {screen.kind === 'midRequests' ? <MidRequestsScreen /> : null}
        {screen.kind === 'smsOutbox' ? <SmsOutboxScreen /> : null}
        {screen.kind === 'midStatus' ? <MidStatusScreen /> : null}
      </div>
    </div>
  );
}
