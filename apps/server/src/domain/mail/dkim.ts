/**
 * DKIM keys (RFC 6376), one per mail domain: generated on first need (server start, or the first
 * outbound message of the domain), kept in the database so every server process signs with the
 * same key, and published by the administrator as a DNS TXT record (`gongjik admin dkim show`).
 *
 * RSA-2048 with rsa-sha256: Ed25519 (RFC 8463) is still not verified by many receivers.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../db.ts';

const generate = promisify(generateKeyPair);

export interface DkimKey {
  readonly domain: string;
  readonly selector: string;
  readonly privateKeyPem: string;
  /** base64 DER SubjectPublicKeyInfo, as published in `p=` */
  readonly publicKey: string;
  readonly createdAt: Date;
}

export interface DkimDnsRecord {
  readonly domain: string;
  readonly selector: string;
  /** the owner name of the TXT record */
  readonly name: string;
  readonly type: 'TXT';
  /** the record's text */
  readonly value: string;
  /** the value split into ≤ 255-byte strings, as zone files need it */
  readonly zoneLine: string;
}

/** The selector of a key made at `now`: `gj` + YYYYMM, so a rotated key gets a new name. */
export function selectorFor(now: Date): string {
  return `gj${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A new RSA-2048 key pair for a domain. */
export async function generateDkimKey(domain: string, now: Date): Promise<DkimKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  return {
    domain,
    selector: selectorFor(now),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    createdAt: now,
  };
}

function fromRow(r: {
  domain: string;
  selector: string;
  private_key_pem: string;
  public_key_b64: string;
  created_at: Date;
}): DkimKey {
  return {
    domain: r.domain,
    selector: r.selector,
    privateKeyPem: r.private_key_pem,
    publicKey: r.public_key_b64,
    createdAt: r.created_at,
  };
}

/** The domain's key, or null. */
export async function findDkimKey(db: Db, domain: string): Promise<DkimKey | null> {
  const row = await db
    .selectFrom('mail_dkim_keys')
    .selectAll()
    .where('domain', '=', domain.toLowerCase())
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/**
 * The domain's key, made and stored when it has none yet. Safe under concurrency: two processes
 * that both generate insert with ON CONFLICT DO NOTHING and then both read the one that won.
 */
export async function ensureDkimKey(db: Db, domain: string, now: Date): Promise<DkimKey> {
  const d = domain.toLowerCase();
  const existing = await findDkimKey(db, d);
  if (existing) return existing;
  const key = await generateDkimKey(d, now);
  await db
    .insertInto('mail_dkim_keys')
    .values({
      domain: d,
      selector: key.selector,
      private_key_pem: key.privateKeyPem,
      public_key_b64: key.publicKey,
      created_at: now,
    })
    .onConflict((oc) => oc.column('domain').doNothing())
    .execute();
  return (await findDkimKey(db, d))!;
}

/** Every key, by domain. */
export async function listDkimKeys(db: Db): Promise<DkimKey[]> {
  const rows = await db.selectFrom('mail_dkim_keys').selectAll().orderBy('domain').execute();
  return rows.map(fromRow);
}

/** The TXT record to publish for a key. */
export function dkimDnsRecord(key: Pick<DkimKey, 'domain' | 'selector' | 'publicKey'>): DkimDnsRecord {
  const name = `${key.selector}._domainkey.${key.domain}`;
  const value = `v=DKIM1; k=rsa; p=${key.publicKey}`;
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += 255) chunks.push(`"${value.slice(i, i + 255)}"`);
  return {
    domain: key.domain,
    selector: key.selector,
    name,
    type: 'TXT',
    value,
    zoneLine: `${name}. IN TXT ( ${chunks.join(' ')} )`,
  };
}

/** The options nodemailer's DKIM signer takes. */
export function dkimSignOptions(key: DkimKey): {
  domainName: string;
  keySelector: string;
  privateKey: string;
} {
  return { domainName: key.domain, keySelector: key.selector, privateKey: key.privateKeyPem };
}
