import { HomeScreen } from '../screens/HomeScreen.tsx';
import { LoginScreen } from '../screens/LoginScreen.tsx';
import { NotFoundScreen } from '../screens/NotFoundScreen.tsx';
import { RenewScreen } from '../screens/RenewScreen.tsx';
import { SignupScreen } from '../screens/SignupScreen.tsx';
import { routeOf, usePathname } from './router.ts';
import { Shell } from './Shell.tsx';

export function App() {
  const route = routeOf(usePathname());
  return (
    <Shell route={route}>
      {route === 'home' ? <HomeScreen /> : null}
      {route === 'login' ? <LoginScreen /> : null}
      {route === 'signup' ? <SignupScreen /> : null}
      {route === 'renew' ? <RenewScreen /> : null}
      {route === 'notFound' ? <NotFoundScreen /> : null}
    </Shell>
  );
}
