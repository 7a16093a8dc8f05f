// A WalletStorage in one JSON file (mode 0600) for `gongjik wallet …`: DEVELOPMENT AND AUTOMATION
// ONLY. It keeps the device private key as a JWK in the file — whoever can read the file holds the
// key (the unlock token still needs the server-checked PIN, see docs/mobile-id-protocol.md). The
// PWA keeps the key non-extractable in IndexedDB instead.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { GongjikError } from '@gongjik/errors';
import type { WalletStorage } from '@gongjik/mobile-id';

const DEVICE_KEY = 'device-key';

interface StoredDeviceKey {
  privateJwk: JsonWebKey;
  publicJwk: Record<string, unknown>;
}

export class FileWalletStorage implements WalletStorage {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  #read(): Record<string, unknown> {
    if (!existsSync(this.file)) return {};
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, unknown>;
    } catch (cause) {
      throw new GongjikError('ERR_CLI_USAGE', { problem: `${this.file} is not a wallet file` }, { cause });
    }
  }

  #write(data: Record<string, unknown>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const value = this.#read()[key];
    if (value === undefined) return undefined;
    if (key !== DEVICE_KEY) return value as T;
    const stored = value as StoredDeviceKey;
    const privateKey = await crypto.subtle.importKey(
      'jwk',
      stored.privateJwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    return { privateKey, publicJwk: stored.publicJwk } as T;
  }

  async set<T>(key: string, value: T): Promise<void> {
    const data = this.#read();
    if (key === DEVICE_KEY) {
      const device = value as unknown as { privateKey: CryptoKey; publicJwk: Record<string, unknown> };
      if (!device.privateKey.extractable) {
        throw new GongjikError('ERR_CLI_USAGE', {
          problem: 'the file storage needs an extractable device key',
        });
      }
      const privateJwk = await crypto.subtle.exportKey('jwk', device.privateKey);
      data[key] = { privateJwk, publicJwk: device.publicJwk } satisfies StoredDeviceKey;
    } else {
      data[key] = value;
    }
    this.#write(data);
  }

  async delete(key: string): Promise<void> {
    const data = this.#read();
    if (!(key in data)) return;
    delete data[key];
    this.#write(data);
  }
}
