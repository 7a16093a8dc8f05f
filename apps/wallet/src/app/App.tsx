import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/context.tsx';
import { CardScreen } from '../screens/CardScreen.tsx';
import { InstallScreen, PinPendingScreen } from '../screens/InstallScreen.tsx';
import { PresentScreen } from '../screens/PresentScreen.tsx';
import { SignRequestsScreen } from '../screens/sign/SignRequestsScreen.tsx';
import { WelcomeScreen } from '../screens/WelcomeScreen.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { routeOf, useLocation } from './router.ts';
import { Shell } from './Shell.tsx';
import type { WalletSnapshot } from './service.ts';
import { useServices } from './service-context.tsx';

/** `/install?offer=…` runs the first-run flow; `/` shows the card, or how to install one. */
export function App() {
  const { t } = useI18n();
  const { wallet } = useServices();
  const location = useLocation();
  const [snapshot, setSnapshot] = useState<WalletSnapshot | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    wallet.snapshot().then(setSnapshot, setError);
  }, [wallet]);
  useEffect(reload, [reload]);

  const route = routeOf(location.split('?')[0]!);
  const search = location.includes('?') ? location.slice(location.indexOf('?')) : '';
  let screen: React.ReactNode;
  if (error) screen = <ErrorMessage error={error} />;
  else if (!snapshot) screen = <p role="status">{t('app.loading')}</p>;
  else if (route === 'install') screen = <InstallScreen search={search} onInstalled={reload} />;
  else if (route === 'present' && snapshot.card && !snapshot.pinPending)
    screen = <PresentScreen search={search} snapshot={snapshot} onChanged={reload} />;
  else if (snapshot.card && snapshot.pinPending) screen = <PinPendingScreen onDone={reload} />;
  else if (snapshot.card && route === 'sign')
    screen = <SignRequestsScreen snapshot={snapshot} onChanged={reload} />;
  else if (snapshot.card) screen = <CardScreen snapshot={snapshot} onChanged={reload} />;
  else screen = <WelcomeScreen />;
  return <Shell>{screen}</Shell>;
}
