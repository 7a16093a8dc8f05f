// Key-file key derivation: the synchronous SHA-1 PBKDF1 kdf.ts uses against the same loop over
// crypto.subtle.digest (one await per round), 2048 rounds as KISA key files use; and PBKDF2.
// Prints JSON with milliseconds per derivation (median of several runs).
import { pbkdf1Sha1, pbkdf2 } from '../packages/kpki/src/kdf.ts';

const salt = new Uint8Array(8).fill(7);
const password = '비밀번호 password 123';
const ITER = 2048;
const RUNS = 9;

async function median(fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Number(times[RUNS >> 1]!.toFixed(3));
}

async function pbkdf1WebCrypto(): Promise<Uint8Array> {
  const p = new TextEncoder().encode(password);
  const input = new Uint8Array(p.length + salt.length);
  input.set(p);
  input.set(salt, p.length);
  let t = new Uint8Array(await crypto.subtle.digest('SHA-1', input));
  for (let i = 1; i < ITER; i++) t = new Uint8Array(await crypto.subtle.digest('SHA-1', t));
  return t;
}

const sync = pbkdf1Sha1(password, salt, ITER);
const viaSubtle = await pbkdf1WebCrypto();
if (Buffer.compare(sync, viaSubtle) !== 0) throw new Error('PBKDF1 implementations disagree');

console.log(
  JSON.stringify({
    iterations: ITER,
    pbkdf1SyncSha1Ms: await median(() => pbkdf1Sha1(password, salt, ITER)),
    pbkdf1WebCryptoDigestMs: await median(pbkdf1WebCrypto),
    pbkdf2Sha256WebCryptoMs: await median(() => pbkdf2(password, salt, ITER, 'SHA-256', 16)),
  }),
);
