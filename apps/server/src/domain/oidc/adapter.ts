// oidc-provider's storage adapter on our database: every model in one table (oidc_payloads), so
// that any number of server processes share sessions, interactions, codes and tokens. Clients are
// read from oidc_clients (registered by an administrator; see clients.ts).
//
// Time: oidc-provider reads the system clock (Date.now) for every expiry it computes, so the
// adapter's `now` must be the same clock; it is injectable for the pruning job and tests only.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db.ts';
import { clientMetadataOf } from './clients.ts';

/** Models whose rows carry a grantId and are revoked together with their grant. */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'ClientCredentials',
]);

export interface OidcAdapterOptions {
  readonly now?: () => Date;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

function rowToPayload(row: { payload: Record<string, unknown>; consumed_at: Date | null }): AdapterPayload {
  const payload = row.payload as AdapterPayload;
  return row.consumed_at ? { ...payload, consumed: epoch(row.consumed_at) } : payload;
}

class DbAdapter implements Adapter {
  readonly #db: Db;
  readonly #model: string;
  readonly #now: () => Date;

  constructor(db: Db, model: string, now: () => Date) {
    this.#db = db;
    this.#model = model;
    this.#now = now;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt =
      typeof expiresIn === 'number' ? new Date(this.#now().getTime() + expiresIn * 1000) : null;
    const values = {
      payload: JSON.stringify(payload),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      // only a Session is looked up by uid (a regenerated session keeps its uid for a moment)
      uid: this.#model === 'Session' && typeof payload.uid === 'string' ? payload.uid : null,
      user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
      expires_at: expiresAt,
    };
    await this.#db
      .insertInto('oidc_payloads')
      .values({ model: this.#model, id, ...values })
      .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values))
      .execute();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.#model === 'Client') {
      const row = await this.#db
        .selectFrom('oidc_clients')
        .selectAll()
        .where('client_id', '=', id)
        .where('removed_at', 'is', null)
        .where('disabled_at', 'is', null)
        .executeTakeFirst();
      return row ? (clientMetadataOf(row) as AdapterPayload) : undefined;
    }
    return this.#findBy('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findBy('user_code', userCode);
  }

  async #findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const now = this.#now();
    const row = await this.#db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('model', '=', this.#model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('expires_at', (ob) => ob.desc().nullsFirst())
      .limit(1)
      .executeTakeFirst();
    return row ? rowToPayload(row) : undefined;
  }

  async consume(id: string): Promise<void> {
    await this.#db
      .updateTable('oidc_payloads')
      .set({ consumed_at: this.#now() })
      .where('model', '=', this.#model)
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.#db
      .deleteFrom('oidc_payloads')
      .where('model', '=', this.#model)
      .where('id', '=', id)
      .execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#db
      .deleteFrom('oidc_payloads')
      .where('grant_id', '=', grantId)
      .where('model', 'in', [...GRANTABLE])
      .execute();
  }
}

/** The `adapter` option of the provider: a factory called with each model's name. */
export function oidcAdapter(db: Db, options: OidcAdapterOptions = {}): (model: string) => Adapter {
  const now = options.now ?? (() => new Date());
  return (model: string) => new DbAdapter(db, model, now);
}

/** Deletes expired rows; returns how many. Run by the provider's housekeeping timer. */
export async function pruneOidcPayloads(db: Db, now: Date): Promise<number> {
  const r = await db.deleteFrom('oidc_payloads').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
