// `gongjik signup` and `gongjik login`: a real certificate client over the HTTP API (the key is
// decrypted and used locally; see ../cert-client.ts).
import { GongjikError } from '@gongjik/errors';
import {
  chooseCertificate,
  defaultCookieJar,
  postJson,
  signedProof,
  unlockKey,
  writeCookieJar,
} from '../cert-client.ts';
import {
  type CommandContext,
  defineCommand,
  type OptionSpec,
  optionalString,
  requireString,
} from '../command.ts';

const certOptions: Record<string, OptionSpec> = {
  server: { type: 'string', description: 'server URL (default http://localhost:8080)' },
  'cert-dir': { type: 'string', description: 'folder holding the certificate (USB root, GPKI/NPKI folder)' },
  password: { type: 'string', description: 'the certificate password (used locally, never sent)' },
  cert: {
    type: 'string',
    description: 'which certificate of the folder (1-based; default: the first GPKI/EPKI one)',
  },
};

function server(ctx: CommandContext): string {
  const s = (optionalString(ctx, 'server') ?? 'http://localhost:8080').replace(/\/+$/, '');
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new GongjikError('ERR_CLI_USAGE', { problem: '--server must be an http(s) URL' });
  }
  return s;
}

function certIndex(ctx: CommandContext): number | undefined {
  const v = optionalString(ctx, 'cert');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new GongjikError('ERR_CLI_USAGE', { problem: '--cert must be a number from 1' });
  return n;
}

/** Finds, unlocks and describes the certificate of --cert-dir. */
async function certificateOf(ctx: CommandContext) {
  const dir = requireString(ctx, 'cert-dir');
  const password = requireString(ctx, 'password');
  const chosen = await chooseCertificate(dir, certIndex(ctx));
  const d = chosen.found.description;
  ctx.print(
    `certificate ${chosen.index}: ${d.holderName ?? d.subject.cn ?? '?'} (${d.class}), ${chosen.certPath}`,
  );
  const key = await unlockKey(dir, chosen, password);
  return {
    key,
    der: d.der,
    summary: {
      path: chosen.certPath,
      class: d.class,
      holderName: d.holderName,
      serial: d.serial,
      notAfter: d.notAfter.toISOString(),
    },
  };
}

interface AccountView {
  id: string;
  address: string;
  realName: string;
  agency: string | null;
  department: string | null;
}

export const signupCommand = defineCommand({
  name: 'signup',
  summary: 'sign up: account ID + one-time code from HR, then register the certificate in --cert-dir',
  usage: 'signup --server URL --id ID --otp CODE --cert-dir DIR --password P [--cert N]',
  options: {
    ...certOptions,
    id: { type: 'string', description: 'the account ID (ryusiwon or ryusiwon@korea.kr)' },
    otp: { type: 'string', description: 'the one-time sign-up code from HR' },
  },
  async run(ctx) {
    const url = server(ctx);
    const accountId = requireString(ctx, 'id');
    const otp = requireString(ctx, 'otp');
    const cert = await certificateOf(ctx);
    const { body: v } = await postJson<{ signupToken: string; realName: string; agency: string }>(
      url,
      '/api/v1/signup/verify',
      { accountId, otp },
    );
    ctx.print(`account checked: ${v.realName} (${v.agency})`);
    const proof = await signedProof(url, 'register', cert.der, cert.key);
    const { body } = await postJson<{ account: AccountView; certificate: Record<string, string> }>(
      url,
      '/api/v1/signup/certificate',
      { signupToken: v.signupToken, ...proof },
    );
    ctx.print(`signed up: ${body.account.address} — certificate ${body.certificate.serial} registered`);
    return { account: body.account, certificate: { ...cert.summary, ...body.certificate } };
  },
});

export const loginCommand = defineCommand({
  name: 'login',
  summary: 'log in with the certificate in --cert-dir; keeps the session cookie in a cookie jar',
  usage: 'login --server URL --cert-dir DIR --password P [--cert N] [--cookie-jar FILE]',
  options: {
    ...certOptions,
    'cookie-jar': {
      type: 'string',
      description: 'where to write the session cookie (Netscape format, 0600)',
    },
  },
  async run(ctx) {
    const url = server(ctx);
    const cert = await certificateOf(ctx);
    const proof = await signedProof(url, 'login', cert.der, cert.key);
    const { body, setCookies } = await postJson<{
      account: AccountView;
      csrfToken: string;
      session: { id: string; expiresAt: string };
      warnings: { code: string; message: string }[];
    }>(url, '/api/v1/auth/login', proof);
    const jar = optionalString(ctx, 'cookie-jar') ?? defaultCookieJar(url);
    const cookie = writeCookieJar(jar, url, setCookies);
    ctx.print(`logged in: ${body.account.realName} <${body.account.address}> (${body.account.agency ?? ''})`);
    ctx.print(`session ${body.session.id}, until ${body.session.expiresAt}; cookie jar: ${jar}`);
    for (const w of body.warnings) ctx.warn(`warning: ${w.message}`);
    return {
      account: body.account,
      session: body.session,
      csrfToken: body.csrfToken,
      warnings: body.warnings,
      cookieJar: jar,
      cookieName: cookie,
      certificate: cert.summary,
    };
  },
});

export const authCommands = [signupCommand, loginCommand];
