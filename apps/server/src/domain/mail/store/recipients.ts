// Which addresses are ours: local domains (the server's mail domain and every agency's own domain)
// and deliverable accounts (existing and active).
import { sql } from 'kysely';
import type { Db } from '../../db.ts';

export interface LocalRecipient {
  readonly accountId: string;
  readonly address: string;
  readonly state: string;
}

/** Whether mail for this domain is delivered here (no relaying for any other domain). */
export async function isLocalDomain(db: Db, domain: string, defaultDomain: string): Promise<boolean> {
  const d = domain.toLowerCase();
  if (d === defaultDomain.toLowerCase()) return true;
  const row = await db
    .selectFrom('agencies')
    .select('id')
    .where('mail_domain', '=', d)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The account an address delivers to, or null. Only `active` accounts receive mail: pending
 * (sign-up not done), locked and retired accounts are refused like unknown ones.
 */
export async function findLocalRecipient(db: Db, address: string): Promise<LocalRecipient | null> {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  const row = await db
    .selectFrom('accounts')
    .select(['id', 'local_part', 'domain', 'state'])
    .where('local_part', '=', local)
    .where('domain', '=', domain)
    .executeTakeFirst();
  if (!row || row.state !== 'active') return null;
  return { accountId: row.id, address: `${row.local_part}@${row.domain}`, state: row.state };
}

/** A deliverable account with its mailbox usage (null before its first mail). */
export interface RecipientWithQuota extends LocalRecipient {
  readonly quota: { readonly quotaBytes: number; readonly usedBytes: number } | null;
}

/**
 * `findLocalRecipient` and the mailbox usage in one statement: the SMTP `RCPT TO` check. (The
 * delivery transaction checks the quota again under the mailbox lock; this one answers early.)
 */
export async function findRecipientWithQuota(db: Db, address: string): Promise<RecipientWithQuota | null> {
  const at = address.lastIndexOf('@');
  if (at <= 0) return null;
  const row = await db
    .selectFrom('accounts as a')
    .leftJoin('mailboxes as b', 'b.account_id', 'a.id')
    .select(['a.id', 'a.local_part', 'a.domain', 'a.state', 'b.quota_bytes', 'b.used_bytes'])
    .where('a.local_part', '=', address.slice(0, at).toLowerCase())
    .where('a.domain', '=', address.slice(at + 1).toLowerCase())
    .executeTakeFirst();
  if (row?.state !== 'active') return null;
  return {
    accountId: row.id,
    address: `${row.local_part}@${row.domain}`,
    state: row.state,
    quota:
      row.quota_bytes === null || row.used_bytes === null
        ? null
        : { quotaBytes: Number(row.quota_bytes), usedBytes: Number(row.used_bytes) },
  };
}

/**
 * The local domains, cached in the process: the SMTP hot path asks for every RCPT TO and every
 * From, and agencies' domains change rarely. A known domain is trusted for `ttlMs` (default 30 s:
 * a domain taken away still reaches only accounts that exist); an unknown one reloads the list when
 * it is older than `missReloadMs` (default 1 s), so a new agency domain works at once and probes
 * for foreign domains cost at most one query a second.
 */
export class LocalDomains {
  readonly #db: Db;
  readonly #defaultDomain: string;
  readonly #ttlMs: number;
  readonly #missReloadMs: number;
  readonly #now: () => number;
  #domains: Set<string> | null = null;
  #loadedAt = 0;
  #loading: Promise<Set<string>> | null = null;

  constructor(
    db: Db,
    defaultDomain: string,
    options: { ttlMs?: number; missReloadMs?: number; now?: () => number } = {},
  ) {
    this.#db = db;
    this.#defaultDomain = defaultDomain.toLowerCase();
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#missReloadMs = options.missReloadMs ?? 1_000;
    this.#now = options.now ?? Date.now;
  }

  async has(domain: string): Promise<boolean> {
    const d = domain.toLowerCase();
    if (d === this.#defaultDomain) return true;
    const age = this.#now() - this.#loadedAt;
    let set = this.#domains;
    if (set === null || age >= this.#ttlMs || (!set.has(d) && age >= this.#missReloadMs))
      set = await this.#load();
    return set.has(d);
  }

  #load(): Promise<Set<string>> {
    this.#loading ??= (async () => {
      try {
        const rows = await this.#db
          .selectFrom('agencies')
          .select('mail_domain')
          .where('mail_domain', 'is not', null)
          .execute();
        this.#domains = new Set(rows.map((r) => String(r.mail_domain).toLowerCase()));
        this.#loadedAt = this.#now();
        return this.#domains;
      } finally {
        this.#loading = null;
      }
    })();
    return this.#loading;
  }
}

interface PendingLookup {
  readonly local: string;
  readonly domain: string;
  resolve(r: RecipientWithQuota | null): void;
  reject(err: unknown): void;
}

/**
 * `findRecipientWithQuota` for many concurrent SMTP sessions: lookups that arrive while a query
 * runs are answered together by the next one (one statement for up to `maxBatch` addresses), so
 * busy ingest costs a fraction of a round trip per RCPT TO. Answers are never cached.
 */
export class RecipientLookup {
  readonly #db: Db;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #queue: PendingLookup[] = [];
  #running = 0;

  constructor(db: Db, options: { maxBatch?: number; concurrency?: number } = {}) {
    this.#db = db;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 200);
    this.#concurrency = Math.max(1, options.concurrency ?? 2);
  }

  find(address: string): Promise<RecipientWithQuota | null> {
    const at = address.lastIndexOf('@');
    if (at <= 0) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#queue.push({
        local: address.slice(0, at).toLowerCase(),
        domain: address.slice(at + 1).toLowerCase(),
        resolve,
        reject,
      });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running++;
      this.#run(batch).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #run(batch: PendingLookup[]): Promise<void> {
    try {
      const rows = await sql<{
        id: string;
        local_part: string;
        domain: string;
        state: string;
        quota_bytes: number | string | null;
        used_bytes: number | string | null;
      }>`
        SELECT a.id, a.local_part, a.domain, a.state, b.quota_bytes, b.used_bytes
        FROM accounts a LEFT JOIN mailboxes b ON b.account_id = a.id
        WHERE (a.local_part, a.domain) IN (
          SELECT * FROM unnest(${batch.map((b) => b.local)}::text[], ${batch.map((b) => b.domain)}::text[]))`.execute(
        this.#db,
      );
      const found = new Map(rows.rows.map((r) => [`${r.local_part}@${r.domain}`, r]));
      for (const p of batch) {
        const row = found.get(`${p.local}@${p.domain}`);
        if (row?.state !== 'active') {
          p.resolve(null);
          continue;
        }
        p.resolve({
          accountId: row.id,
          address: `${row.local_part}@${row.domain}`,
          state: row.state,
          quota:
            row.quota_bytes === null || row.used_bytes === null
              ? null
              : { quotaBytes: Number(row.quota_bytes), usedBytes: Number(row.used_bytes) },
        });
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
