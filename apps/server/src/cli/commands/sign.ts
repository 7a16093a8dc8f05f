// `gongjik sign verify <file> --document <file>`: verifies a mobile-ID signature bundle
// (.gjsig.json) or a GPKI detached CMS (.p7s) over a document, with the same pure functions the
// /verify page uses (verifySignatureBundle of @gongjik/mobile-id, verifyDocumentSignature of kpki).
// Trust comes from a server (--server: its issuer keys and its published GPKI roots), or from files
// for offline use (--issuer-keys, --trust).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import { type DocumentTrust, verifyDocumentSignature } from '@gongjik/kpki';
import { documentSha256, type IssuerJwks, verifySignatureBundle } from '@gongjik/mobile-id';
import { trustMaterial } from '../../domain/signature/trust-material.ts';
import { type CommandContext, defineCommand, optionalString } from '../command.ts';

async function readInput(path: string | undefined, what: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!path) throw new GongjikError('ERR_CLI_USAGE', { problem: `give ${what}` });
  const abs = resolve(path);
  if (!existsSync(abs)) throw new GongjikError('ERR_CLI_FILE_NOT_FOUND', { path: abs });
  return new Uint8Array(await readFile(abs));
}

function serverOf(ctx: CommandContext): string {
  return (optionalString(ctx, 'server') ?? 'http://localhost:8080').replace(/\/+$/, '');
}

async function getJson(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error' });
  } catch (err) {
    throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server: url }, { cause: err });
  }
  if (!res.ok) throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server: url });
  return res.json();
}

/** The issuer keys (and `iss`): a JWKS or jwt-vc-issuer metadata file, or the server's metadata. */
async function issuerTrust(ctx: CommandContext): Promise<{ issuerKeys: IssuerJwks; issuer?: string }> {
  const file = optionalString(ctx, 'issuer-keys');
  const raw = file
    ? JSON.parse(new TextDecoder().decode(await readInput(file, '--issuer-keys')))
    : await getJson(`${serverOf(ctx)}/.well-known/jwt-vc-issuer`);
  const meta = raw as { issuer?: unknown; jwks?: unknown; keys?: unknown };
  const jwks = (Array.isArray(meta.keys) ? meta : meta.jwks) as IssuerJwks | undefined;
  if (!jwks || !Array.isArray(jwks.keys))
    throw new GongjikError('ERR_CLI_USAGE', { problem: 'the issuer keys are not a JWKS' });
  return { issuerKeys: jwks, ...(typeof meta.issuer === 'string' ? { issuer: meta.issuer } : {}) };
}

async function documentTrust(ctx: CommandContext): Promise<DocumentTrust> {
  const dir = optionalString(ctx, 'trust');
  const m = dir
    ? await trustMaterial(resolve(dir))
    : ((await getJson(`${serverOf(ctx)}/api/v1/sign/trust`)) as {
        anchors: string[];
        intermediates: string[];
        crls: string[];
      });
  const der = (list: string[]) => list.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
  return { anchors: der(m.anchors), intermediates: der(m.intermediates), crls: der(m.crls) };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export const signVerifyCommand = defineCommand({
  name: 'sign verify',
  summary: 'Verify a signature (mobile-ID bundle .gjsig.json or GPKI .p7s) over a document',
  usage:
    'gongjik sign verify <signature file> --document <file> [--server URL | --issuer-keys FILE --trust DIR]',
  options: {
    document: { type: 'string', description: 'the signed document (hashed here, never sent)' },
    server: { type: 'string', description: 'where the trust comes from (default http://localhost:8080)' },
    'issuer-keys': {
      type: 'string',
      description: 'offline: the issuer JWKS (or /.well-known/jwt-vc-issuer JSON)',
    },
    trust: { type: 'string', description: 'offline: a folder of GPKI root/CA certificates and CRLs' },
  },
  async run(ctx) {
    const signature = await readInput(ctx.positionals[0], 'a signature file');
    const document = await readInput(optionalString(ctx, 'document'), '--document <file>');
    const now = new Date();
    const first = signature.find((b) => b > 0x20);
    if (first === 0x7b) {
      const v = await verifySignatureBundle(new TextDecoder().decode(signature), {
        ...(await issuerTrust(ctx)),
        now,
        documentSha256: await documentSha256(document),
      });
      ctx.print(`OK — mobile-ID signature (모바일 공무원증 전자서명)`);
      ctx.print(`  signer:    ${v.signer.name} (${v.signer.agency}, ${v.signer.employeeNumber})`);
      ctx.print(`  signed at: ${iso(v.signedAt)}`);
      ctx.print(`  card:      valid at signing time (status list of ${iso(v.card.statusIssuedAt)})`);
      ctx.print(`  document:  ${v.title} — SHA-256 ${v.sha256}`);
      ctx.print(`  requested by ${v.audience} (request ${v.requestId})`);
      return { kind: 'mobile-id', ...v, signedAtIso: iso(v.signedAt) };
    }
    let cms = signature;
    const text = new TextDecoder('latin1').decode(signature.subarray(0, 64));
    if (text.startsWith('-----BEGIN')) {
      const body = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END/.exec(new TextDecoder().decode(signature));
      cms = new Uint8Array(Buffer.from(body?.[1]?.replace(/\s+/g, '') ?? '', 'base64'));
    }
    if (cms[0] !== 0x30) throw new GongjikError('ERR_SIGN_FILE_UNKNOWN');
    const v = await verifyDocumentSignature(cms, document, { trust: await documentTrust(ctx), now });
    ctx.print(`OK — GPKI signature (행정전자서명, CMS)`);
    ctx.print(
      `  signer:    ${v.signer.name ?? v.signer.commonName} (${v.signer.class}, issued by ${v.signer.issuer})`,
    );
    ctx.print(`  signed at: ${v.signingTime?.toISOString() ?? '(no signing time)'}`);
    ctx.print(
      `  certificate valid at ${v.validatedAt.toISOString()} (until ${v.signer.notAfter.toISOString()})`,
    );
    if (v.revokedAfterSigning)
      ctx.warn(`certificate revoked later, at ${v.revokedAfterSigning.toISOString()}`);
    return { kind: 'gpki-cms', ...v };
  },
});

export const signCommands = [signVerifyCommand];
