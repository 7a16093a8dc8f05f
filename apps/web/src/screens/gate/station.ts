// The kiosk's engine, outside React: set-up, sync (bundle + log upload) on the bundle's TTL and
// when the network returns, and the offline decision with a persisted seen-nonce cache.
import { GongjikError, isErrorCode } from '@gongjik/errors';
import {
  createGateAuthToken,
  decideAtGate,
  type GateDecision,
  type GateStation,
  importGateKey,
  loadGateStation,
  parseGateSetupCode,
  type SeenCache,
} from '@gongjik/mobile-id';
import { kv } from './store.ts';

interface StoredConfig {
  gateId: string;
  key: CryptoKey;
}

const LOG_BATCH = 500;
const MAX_QUEUE = 50_000;

/** Seen nonces in memory, written to IndexedDB after each decision (a reload keeps refusing replays). */
class PersistedSeenCache implements SeenCache {
  readonly entries: Map<string, number>;
  constructor(entries: Record<string, number>) {
    this.entries = new Map(Object.entries(entries));
  }
  has(key: string, now: number) {
    const exp = this.entries.get(key);
    return exp !== undefined && exp > now;
  }
  add(key: string, exp: number) {
    this.entries.set(key, exp);
  }
  save(now: number) {
    const kept: Record<string, number> = {};
    for (const [k, v] of this.entries)
      if (v > now) kept[k] = v;
      else this.entries.delete(k);
    return kv.set('seen', kept);
  }
}

export interface KioskState {
  readonly configured: boolean;
  readonly station: GateStation | null;
  readonly online: boolean;
  readonly lastSync: Date | null;
  readonly syncError: { code: string; details: Record<string, string | number> } | null;
  readonly queued: number;
}

export class Kiosk {
  #config: StoredConfig | undefined;
  #station: GateStation | null = null;
  #seen = new PersistedSeenCache({});
  #queue: GateDecision[] = [];
  #online = true;
  #lastSync: Date | null = null;
  #syncError: KioskState['syncError'] = null;
  #syncing: Promise<void> | undefined;
  #listeners = new Set<() => void>();
  #state: KioskState = this.#snapshot();

  subscribe = (fn: () => void) => {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  };
  getState = () => this.#state;

  #snapshot(): KioskState {
    return {
      configured: this.#config !== undefined,
      station: this.#station,
      online: this.#online,
      lastSync: this.#lastSync,
      syncError: this.#syncError,
      queued: this.#queue.length,
    };
  }
  #changed() {
    this.#state = this.#snapshot();
    for (const fn of this.#listeners) fn();
  }

  /** Loads what IndexedDB holds (configuration, cached bundle, seen cache, log queue). */
  async load(): Promise<void> {
    this.#config = await kv.get<StoredConfig>('config');
    this.#seen = new PersistedSeenCache((await kv.get<Record<string, number>>('seen')) ?? {});
    this.#queue = (await kv.get<GateDecision[]>('log')) ?? [];
    const last = await kv.get<number>('lastSync');
    this.#lastSync = last ? new Date(last) : null;
    const bundle = await kv.get<unknown>('bundle');
    if (bundle) this.#station = await loadGateStation(bundle, new Date()).catch(() => null);
    this.#changed();
  }

  /** Set-up by an administrator: the setup code's key is imported non-extractable and the code forgotten. */
  async setup(code: string): Promise<void> {
    const setup = parseGateSetupCode(code);
    const key = await importGateKey(setup, false);
    this.#config = { gateId: setup.gateId, key };
    await this.sync(true, true);
    await kv.set('config', this.#config);
    this.#changed();
  }

  async reset(): Promise<void> {
    await kv.clear();
    this.#config = undefined;
    this.#station = null;
    this.#queue = [];
    this.#seen = new PersistedSeenCache({});
    this.#lastSync = null;
    this.#changed();
  }

  /** True when the bundle is due (its TTL passed) or decisions wait to be uploaded. */
  due(now = new Date()): boolean {
    if (!this.#config) return false;
    if (!this.#station) return true;
    return now.getTime() / 1000 >= this.#station.refreshAt || this.#queue.length > 0;
  }

  /**
   * Fetches the bundle (when `refresh`, or when its TTL passed) and uploads the queued log; offline,
   * the cache stays in use (and the screen says so).
   */
  sync(refresh = true, throwErrors = false): Promise<void> {
    this.#syncing ??= this.#sync(refresh, throwErrors).finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const config = this.#config;
    if (!config) throw new GongjikError('ERR_GATE_NOT_CONFIGURED');
    const token = await createGateAuthToken({
      gateId: config.gateId,
      privateKey: config.key,
      origin: location.origin,
      method,
      path,
      now: new Date(),
    });
    const res = await fetch(path, {
      method,
      cache: 'no-store',
      credentials: 'omit',
      headers: {
        authorization: `Gate ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const code =
        typeof json.code === 'string' && isErrorCode(json.code) ? json.code : 'ERR_SERVER_INTERNAL';
      throw new GongjikError(code);
    }
    return json;
  }

  async #sync(refresh: boolean, throwErrors: boolean): Promise<void> {
    try {
      const station = this.#station;
      if (refresh || !station || Date.now() / 1000 >= station.refreshAt) {
        const bundle = await this.#call('GET', '/api/v1/gates/bundle');
        // Verified before it replaces the cache.
        this.#station = await loadGateStation(bundle, new Date());
        await kv.set('bundle', bundle);
        this.#lastSync = new Date();
        await kv.set('lastSync', this.#lastSync.getTime());
      }
      while (this.#queue.length > 0) {
        const batch = this.#queue.slice(0, LOG_BATCH);
        await this.#call('POST', '/api/v1/gates/log', {
          events: batch.map((d) => ({
            id: d.id,
            at: d.at,
            allow: d.allow,
            code: d.code,
            subject: d.subject,
            agencyCode: d.agencyCode,
          })),
        });
        this.#queue = this.#queue.slice(batch.length);
        await kv.set('log', this.#queue);
      }
      this.#online = true;
      this.#syncError = null;
    } catch (err) {
      const code = err instanceof GongjikError ? err.code : 'ERR_CLI_SERVER_UNREACHABLE';
      this.#online = err instanceof GongjikError;
      this.#syncError = { code, details: { server: location.origin } };
      if (throwErrors) throw err;
    } finally {
      this.#changed();
    }
  }

  /** The offline decision for one scanned QR; logged and queued for upload. */
  async decide(qr: string): Promise<GateDecision> {
    if (!this.#station) throw new GongjikError('ERR_GATE_NO_BUNDLE');
    const now = new Date();
    const decision = await decideAtGate(qr, this.#station, now, this.#seen);
    await this.#seen.save(Math.floor(now.getTime() / 1000));
    this.#queue.push(decision);
    if (this.#queue.length > MAX_QUEUE) this.#queue.splice(0, this.#queue.length - MAX_QUEUE);
    await kv.set('log', this.#queue);
    this.#changed();
    void this.sync(false);
    return decision;
  }
}
