// IndexedDB storage for the wallet: one object store of key → structured-cloneable value. The
// headless Wallet keeps its device key here as a CryptoKey object: IndexedDB stores CryptoKeys by
// structured clone, a non-extractable one included, so the key survives restarts while its bytes
// stay inside the browser's crypto implementation (exportKey refuses it, even to this code).
import type { WalletStorage } from '@gongjik/mobile-id';

export const DB_NAME = 'gongjik-wallet';
const DB_VERSION = 1;
const STORE = 'kv';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('aborted', 'AbortError'));
  });
}

/** Opens (and on first use creates) the wallet's database. */
export function openWalletDb(
  factory: IDBFactory = globalThis.indexedDB,
  name = DB_NAME,
): Promise<IDBDatabase> {
  const request = factory.open(name, DB_VERSION);
  request.onupgradeneeded = () => {
    if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
  };
  return promised(request);
}

/** WalletStorage on IndexedDB; each call is its own transaction. */
export class IndexedDbWalletStorage implements WalletStorage {
  readonly #db: IDBDatabase;

  constructor(db: IDBDatabase) {
    this.#db = db;
  }

  static async open(factory?: IDBFactory, name?: string): Promise<IndexedDbWalletStorage> {
    return new IndexedDbWalletStorage(await openWalletDb(factory, name));
  }

  async get<T>(key: string): Promise<T | undefined> {
    const tx = this.#db.transaction(STORE, 'readonly');
    return (await promised(tx.objectStore(STORE).get(key))) as T | undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    const tx = this.#db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(value, key);
    await done(tx);
  }

  async delete(key: string): Promise<void> {
    const tx = this.#db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(key);
    await done(tx);
  }

  /** Removes everything (reset / uninstall). */
  async clear(): Promise<void> {
    const tx = this.#db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await done(tx);
  }

  close(): void {
    this.#db.close();
  }
}
