import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { loadConfig } from './app/config.ts';
import { ServiceProvider } from './app/service-context.tsx';
import { createWalletService } from './app/wallet-service.ts';
import { I18nProvider } from './i18n/context.tsx';
import { translate } from './i18n/format.ts';
import { loadLang } from './i18n/lang-store.ts';
import { IndexedDbWalletStorage } from './storage/idb.ts';

// The service worker makes the wallet work offline after the first load (production builds only:
// the dev server's modules are not precached).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without it the wallet still works online.
  });
}

async function start(root: HTMLElement): Promise<void> {
  let storage: IndexedDbWalletStorage;
  const config = await loadConfig();
  try {
    storage = await IndexedDbWalletStorage.open();
  } catch {
    root.textContent = translate(loadLang(globalThis.localStorage), 'error.storage');
    return;
  }
  const wallet = createWalletService({ storage, config });
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <ServiceProvider wallet={wallet} config={config}>
          <App />
        </ServiceProvider>
      </I18nProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (root) {
  start(root).catch(() => {
    root.textContent = translate(loadLang(globalThis.localStorage), 'error.unexpected');
  });
}
