// The kiosk's IndexedDB store (`gongjik-gate` / `kv`): the gate's configuration (id + its
// non-extractable private CryptoKey, kept by structured clone), the last bundle, the seen-nonce
// cache and the queue of decisions not yet uploaded.
const DB_NAME = 'gongjik-gate';
const STORE = 'kv';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let dbPromise: Promise<IDBDatabase> | undefined;
const db = () => {
  dbPromise ??= open();
  return dbPromise;
};

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const tx = d.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      }),
  );
}

export const kv = {
  get: <T>(key: string) => run<T | undefined>('readonly', (s) => s.get(key)),
  set: (key: string, value: unknown) => run<void>('readwrite', (s) => s.put(value, key)),
  delete: (key: string) => run<void>('readwrite', (s) => s.delete(key)),
  clear: () => run<void>('readwrite', (s) => s.clear()),
};
