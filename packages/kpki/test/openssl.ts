// Test helper: runs the system OpenSSL with the legacy provider (SEED lives there), when it exists.
import { execFileSync, spawnSync } from 'node:child_process';

export const LEGACY = ['-provider', 'legacy', '-provider', 'default'];

/** Why OpenSSL SEED tests must be skipped, or false when `openssl enc -seed-cbc` works here. */
export const opensslSeedSkip: string | false = (() => {
  const r = spawnSync(
    'openssl',
    ['enc', '-seed-cbc', ...LEGACY, '-K', '00'.repeat(16), '-iv', '00'.repeat(16), '-nosalt'],
    { input: Buffer.alloc(0) },
  );
  if (r.error) return 'openssl is not installed';
  if (r.status !== 0 || r.stdout.length !== 16) return 'this openssl has no SEED (legacy provider missing)';
  return false;
})();

export function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
