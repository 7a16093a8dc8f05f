// Which addresses are ours: local domains (the server's mail domain and every agency's own domain)
// and deliverable accounts (existing and active).
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
