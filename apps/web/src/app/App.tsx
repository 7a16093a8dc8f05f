import { lazy, Suspense } from 'react';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { LoginScreen } from '../screens/LoginScreen.tsx';
import { NotFoundScreen } from '../screens/NotFoundScreen.tsx';
import { RenewScreen } from '../screens/RenewScreen.tsx';
import { SignupScreen } from '../screens/SignupScreen.tsx';
import { SessionsScreen } from '../screens/sessions/SessionsScreen.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { routeOf, usePathname } from './router.ts';
import { Shell } from './Shell.tsx';

// The admin and HR portal is a separate chunk: officials never download it.
const AdminPortal = lazy(() => import('../screens/admin/AdminPortal.tsx'));

export function App() {
  const route = routeOf(usePathname());
  return (
    <Shell route={route}>
      {route === 'home' ? <HomeScreen /> : null}
      {route === 'login' ? <LoginScreen /> : null}
      {route === 'signup' ? <SignupScreen /> : null}
      {route === 'renew' ? <RenewScreen /> : null}
      {route === 'sessions' ? <SessionsScreen /> : null}
      {route === 'admin' ? (
        <Suspense fallback={<LoadingScreen />}>
          <AdminPortal />
        </Suspense>
      ) : null}
      {route === 'notFound' ? <NotFoundScreen /> : null}
    </Shell>
  );
}
