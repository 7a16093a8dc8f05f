import { createContext, type ReactNode, useContext } from 'react';
import type { WalletConfig } from './config.ts';
import type { WalletService } from './service.ts';

interface Services {
  readonly wallet: WalletService;
  readonly config: WalletConfig;
}

const ServiceContext = createContext<Services | null>(null);

export function ServiceProvider(props: Services & { readonly children: ReactNode }) {
  return (
    <ServiceContext.Provider value={{ wallet: props.wallet, config: props.config }}>
      {props.children}
    </ServiceContext.Provider>
  );
}

export function useServices(): Services {
  const s = useContext(ServiceContext);
  if (!s) throw new Error('useServices outside ServiceProvider');
  return s;
}
