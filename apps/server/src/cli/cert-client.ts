// The certificate client of `gongjik signup` and `gongjik login`: finds the certificate in a folder
// (kpki's GPKI/NPKI layouts), decrypts the key file locally, signs the server's challenge as
// docs/auth-protocol.md says, and talks to the API. Only the certificate and the signature go over
// the wire: never the password, never the key.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ErrorCode, GongjikError, isErrorCode } from '@gongjik/errors';
import {
  assertKeyMatchesCertificate,
  decryptKeyFile,
  type FoundCertificate,
  importPrivateKey,
  requireKeyPath,
  signChallenge,
} from '@gongjik/kpki';
import { listCertificatesInDir } from '@gongjik/kpki/node';

export interface ChosenCertificate {
  readonly found: FoundCertificate;
  readonly index: number;
  readonly certPath: string;
}

const PREFERRED = new Set(['gpki-personal', 'epki-personal', 'gpki-special']);

/**
 * Lists the certificates in `dir` and picks one: `--cert N` (1-based, in the listed order), else the
 * first GPKI/EPKI certificate, else the first one found (the server then says why it refuses it).
 */
export async function chooseCertificate(dir: string, pick?: number): Promise<ChosenCertificate> {
  const { certificates } = await listCertificatesInDir(dir);
  if (certificates.length === 0) throw new GongjikError('ERR_PKI_NO_CERTIFICATES_FOUND');
  if (pick !== undefined) {
    const found = certificates[pick - 1];
    if (!found)
      throw new GongjikError('ERR_CLI_USAGE', { problem: `--cert must be from 1 to ${certificates.length}` });
    return { found, index: pick, certPath: resolve(dir, found.certPath) };
  }
  const i = Math.max(
    0,
    certificates.findIndex((c) => PREFERRED.has(c.description.class)),
  );
  const found = certificates[i]!;
  return { found, index: i + 1, certPath: resolve(dir, found.certPath) };
}

/** Decrypts the key file beside the certificate and imports it (non-extractable). */
export async function unlockKey(dir: string, chosen: ChosenCertificate, password: string) {
  const keyPath = resolve(dir, requireKeyPath(chosen.found));
  const key = await decryptKeyFile(new Uint8Array(readFileSync(keyPath)), password);
  try {
    await assertKeyMatchesCertificate(key.pkcs8, chosen.found.description.der, {
      keyAlgorithm: key.keyAlgorithm,
    });
    return await importPrivateKey(key.pkcs8, key.keyAlgorithm);
  } finally {
    key.pkcs8.fill(0);
  }
}

export interface ApiAnswer<T> {
  readonly body: T;
  readonly setCookies: string[];
}

/** POSTs JSON; a problem+json answer becomes the GongjikError with its code and details. */
export async function postJson<T>(
  server: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  fetchImpl: typeof fetch = fetch,
): Promise<ApiAnswer<T>> {
  let res: Response;
  try {
    res = await fetchImpl(`${server}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, application/problem+json',
        'accept-language': 'en',
        ...headers,
      },
      body: JSON.stringify(body),
      redirect: 'error',
    });
  } catch (err) {
    throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server }, { cause: err });
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  if (!res.ok) {
    const code: ErrorCode =
      typeof json.code === 'string' && isErrorCode(json.code) ? json.code : 'ERR_SERVER_INTERNAL';
    const details = (json.details && typeof json.details === 'object' ? json.details : {}) as Record<
      string,
      string | number
    >;
    throw new GongjikError(code, details);
  }
  return { body: json as T, setCookies: res.headers.getSetCookie() };
}

export interface ChallengeAnswer {
  readonly challengeId: string;
  readonly nonce: string;
  readonly origin: string;
  readonly purpose: 'login' | 'register';
}

/**
 * Asks for a challenge and signs it. Refuses (ERR_AUTH_ORIGIN_MISMATCH) a challenge that names
 * another origin than the server contacted, or another purpose: signing it would prove the holder
 * to someone else.
 */
export async function signedProof(
  server: string,
  purpose: 'login' | 'register',
  certificateDer: Uint8Array,
  key: CryptoKey,
): Promise<{ challengeId: string; certificate: string; signature: string }> {
  const { body: c } = await postJson<ChallengeAnswer>(server, '/api/v1/auth/challenge', { purpose });
  const expected = new URL(server).origin;
  if (c.origin !== expected || c.purpose !== purpose) {
    throw new GongjikError('ERR_AUTH_ORIGIN_MISMATCH', {
      origin: String(c.origin).slice(0, 200),
      server: expected,
    });
  }
  const message = new TextEncoder().encode(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`);
  const signature = await signChallenge(key, message);
  return {
    challengeId: c.challengeId,
    certificate: Buffer.from(certificateDer).toString('base64url'),
    signature: Buffer.from(signature).toString('base64url'),
  };
}

/** Where `gongjik login` keeps the session cookie unless told (--cookie-jar). */
export function defaultCookieJar(server: string): string {
  const u = new URL(server);
  const dir = join(tmpdir(), `gongjik-cli-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, `cookies-${u.hostname}_${u.port || (u.protocol === 'https:' ? 443 : 80)}.txt`);
}

/**
 * Writes the session cookie as a Netscape cookie jar (`curl -b FILE` reads it), mode 0600.
 * Returns the cookie's name.
 */
export function writeCookieJar(path: string, server: string, setCookies: readonly string[]): string | null {
  const u = new URL(server);
  const lines = ['# Netscape HTTP Cookie File', '# written by gongjik login — keep it private'];
  let name: string | null = null;
  for (const header of setCookies) {
    const [pair, ...attrs] = header.split(';').map((s) => s.trim());
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) continue;
    const secure = attrs.some((a) => a.toLowerCase() === 'secure');
    const httpOnly = attrs.some((a) => a.toLowerCase() === 'httponly');
    const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
    const expires = maxAge ? Math.floor(Date.now() / 1000) + Number(maxAge.slice(8)) : 0;
    name = pair.slice(0, eq);
    lines.push(
      [
        `${httpOnly ? '#HttpOnly_' : ''}${u.hostname}`,
        'FALSE',
        '/',
        secure ? 'TRUE' : 'FALSE',
        String(expires),
        name,
        pair.slice(eq + 1),
      ].join('\t'),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return name;
}
