// The secret that encrypts the OIDC provider's private keys at rest, and the encryption itself.
// The secret comes from GONGJIK_OIDC_KEY_SECRET or, when unset, from <data-dir>/oidc-key-secret
// (created on first use, mode 0600). Every server process sharing one database needs the same one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GongjikError } from '@gongjik/errors';

export const OIDC_KEY_SECRET_FILE = 'oidc-key-secret';

/** A 256-bit key-encryption key, derived from the configured secret with HKDF-SHA256. */
export type KeyEncryptionKey = Buffer & { readonly __kek: true };

export function deriveKeyEncryptionKey(secret: string): KeyEncryptionKey {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'gongjik', 'gongjik oidc key encryption v1', 32),
  ) as KeyEncryptionKey;
}

/** The configured secret, or the data directory's secret file (created on first use). */
export function resolveKeyEncryptionKey(keySecret: string | undefined, dataDir: string): KeyEncryptionKey {
  if (keySecret) return deriveKeyEncryptionKey(keySecret);
  const file = join(dataDir, OIDC_KEY_SECRET_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (err) {
      // another process won the race: read its file
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return deriveKeyEncryptionKey(readFileSync(file, 'utf8').trim());
}

/** AES-256-GCM; `aad` binds the ciphertext to its row (the key id). Output: `v1.<iv>.<ct+tag>`. */
export function sealSecret(kek: KeyEncryptionKey, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${ct.toString('base64url')}`;
}

/** Throws ERR_OIDC_KEYS_UNREADABLE when the secret is not the one that sealed it. */
export function openSecret(kek: KeyEncryptionKey, sealed: string, aad: string): string {
  const [v, ivText, ctText] = sealed.split('.');
  try {
    if (v !== 'v1' || !ivText || !ctText) throw new Error('format');
    const ct = Buffer.from(ctText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(ct.subarray(ct.length - 16));
    return Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch (cause) {
    throw new GongjikError('ERR_OIDC_KEYS_UNREADABLE', {}, { cause });
  }
}
