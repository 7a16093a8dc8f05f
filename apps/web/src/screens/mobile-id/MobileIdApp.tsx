// The official's mobile-ID pages (certificate session), loaded on demand: /card (my card) and
// /approvals (the head of department's queue).
import { usePathname } from '../../app/router.ts';
import { ApprovalsScreen } from './ApprovalsScreen.tsx';
import { MyCardScreen } from './MyCardScreen.tsx';

export default function MobileIdApp() {
  const path = usePathname().replace(/\/+$/, '');
  return path === '/approvals' ? <ApprovalsScreen /> : <MyCardScreen />;
}
