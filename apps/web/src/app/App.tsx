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
const LibraryScreen = lazy(() => import('../screens/mid-login/LibraryScreen.tsx'));
// The gate kiosk: its own chunk, full screen without the app's header and menu.
const GateKiosk = lazy(() => import('../screens/gate/GateKiosk.tsx'));
// Electronic signatures (verify, GPKI signing): their own chunk, with the verifiers.
const SignScreens = lazy(() => import('../screens/sign/SignScreens.tsx'));
// The official's mobile-ID pages (my card, approvals): their own chunk too.
const MobileIdApp = lazy(() => import('../screens/mobile-id/MobileIdApp.tsx'));
const MailApp = lazy(() => import('../screens/mail/MailApp.tsx'));

export function App() {
  const route = routeOf(usePathname());
  if (route === 'kiosk')
    return (
      <Suspense fallback={<LoadingScreen />}>
        <GateKiosk />
      </Suspense>
    );
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
      {route === 'library' ? (
        <Suspense fallback={<LoadingScreen />}>
          <LibraryScreen />
        </Suspense>
      ) : null}
      {route === 'verify' || route === 'sign' ? (
        <Suspense fallback={<LoadingScreen />}>
          <SignScreens route={route} />
        </Suspense>
      ) : null}
      {route === 'card' || route === 'approvals' ? (
        <Suspense fallback={<LoadingScreen />}>
          <MobileIdApp />
        </Suspense>
      ) : null}
      {route === 'mail' ? (
        <Suspense fallback={<LoadingScreen />}>
          <MailApp />
        </Suspense>
      ) : null}
      {route === 'notFound' ? <NotFoundScreen /> : null}
    </Shell>
  );
}
