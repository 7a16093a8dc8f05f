// Certificates remembered in this browser (IndexedDB). Stored: the certificate and the key file
// exactly as it is on disk — still encrypted with the certificate password. Never the password,
// never a decrypted key.
const DB_NAME = 'gongjik';
const DB_VERSION = 1;
const STORE = 'certificates';
/** Most certificates one browser remembers. */
export const MAX_REMEMBERED = 10;

export interface RememberedCertificate {
  /** SHA-256 fingerprint of the certificate (hex). */
  readonly id: string;
  readonly certificate: Uint8Array;
  /** The encrypted key file bytes as read from the disk. */
  readonly encryptedKeyFile: Uint8Array;
  readonly savedAt: string;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open(idb: IDBFactory): Promise<IDBDatabase> {
  const req = idb.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  return request(req);
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T>,
  idb: IDBFactory = indexedDB,
): Promise<T> {
  const db = await open(idb);
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(run(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return result;
  } finally {
    db.close();
  }
}

function isRecord(value: unknown): value is RememberedCertificate {
  const r = value as RememberedCertificate | null;
  return (
    !!r &&
    typeof r.id === 'string' &&
    r.certificate instanceof Uint8Array &&
    r.encryptedKeyFile instanceof Uint8Array &&
    typeof r.savedAt === 'string'
  );
}

/** Remembered certificates, most recently saved first. */
export async function listRemembered(idb?: IDBFactory): Promise<RememberedCertificate[]> {
  const all = await withStore('readonly', (s) => s.getAll(), idb);
  return all.filter(isRecord).sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
}

export async function remember(entry: RememberedCertificate, idb?: IDBFactory): Promise<void> {
  const existing = await listRemembered(idb);
  const others = existing.filter((e) => e.id !== entry.id);
  for (const old of others.slice(MAX_REMEMBERED - 1)) await forget(old.id, idb);
  await withStore('readwrite', (s) => s.put(entry), idb);
}

export async function forget(id: string, idb?: IDBFactory): Promise<void> {
  await withStore('readwrite', (s) => s.delete(id), idb);
}
