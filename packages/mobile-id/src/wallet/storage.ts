/**
 * Where the wallet keeps its device key and credentials. Values are structured-cloneable (a
 * non-extractable CryptoKey included), so the PWA can back this with IndexedDB.
 */
export interface WalletStorage {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-memory storage: tests, the CLI, automation. */
export class MemoryWalletStorage implements WalletStorage {
  readonly #data = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    return this.#data.get(key) as T | undefined;
  }

  async set<T>(key: string, value: T): Promise<void> {
    this.#data.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#data.delete(key);
  }
}
