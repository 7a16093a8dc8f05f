// `gongjik ca …`: the development CA (tests, demos, agencies' test environments). DEV ONLY.
import { resolve } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import {
  authorityProfiles,
  DEV_ONLY,
  type DevCaKind,
  devCaKinds,
  formatRdns,
  issueUserCertificates,
  type KeyFileScheme,
  type RevocationReason,
  reissueCrls,
  revocationReasons,
  revokeCertificate,
  userBundle,
} from '@gongjik/kpki';
import {
  devCaPaths,
  existingBundleFiles,
  initDevCaDir,
  loadDevCa,
  saveDevCa,
  writeUserBundle,
} from '@gongjik/kpki/node';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';
import { parseTimeOption } from '../time-option.ts';

const BANNER = `${DEV_ONLY} — development CA: never trust these certificates in production.`;
const schemes: readonly KeyFileScheme[] = ['kisa-seed-sha1', 'kisa-seed-old', 'pbes2-sha256', 'pbes2-sha1'];

const dirOption = { type: 'string', description: 'the CA folder' } as const;

function oneOf<T extends string>(ctx: CommandContext, name: string, allowed: readonly T[], fallback?: T): T {
  const value = optionalString(ctx, name) ?? fallback;
  if (value === undefined) throw new GongjikError('ERR_CLI_USAGE', { problem: `--${name} is required` });
  if (!(allowed as readonly string[]).includes(value)) {
    throw new GongjikError('ERR_CLI_USAGE', { problem: `--${name} must be one of ${allowed.join(', ')}` });
  }
  return value as T;
}

/**
 * A holder or organisation name as it goes into a subject and a file name: NFC, 1–40 characters,
 * no digits (the GPKI/NPKI CN shapes put digits around the name), no `()`, path separators or
 * control characters.
 */
function nameOption(ctx: CommandContext, name: string, required: boolean): string | undefined {
  const raw = required ? requireString(ctx, name) : optionalString(ctx, name);
  if (raw === undefined) return undefined;
  const value = raw.normalize('NFC');
  const bad = name === 'name' ? /[\p{Cc}/\\()0-9]/u : /[\p{Cc}/\\]/u;
  if (value.length > 40 || bad.test(value) || value.trim() !== value) {
    throw new GongjikError('ERR_CLI_USAGE', {
      problem: `--${name} must be 1–40 characters without digits, brackets, slashes or surrounding spaces`,
    });
  }
  return value;
}

const clock = () => ({ crypto: globalThis.crypto, now: new Date() });

export const caInitCommand = defineCommand({
  name: 'ca init',
  summary: `create a ${DEV_ONLY} development CA: GPKI root → CA131100001, an EPKI CA, a yessign-like NPKI CA`,
  usage: 'ca init --dir D',
  options: { dir: dirOption },
  async run(ctx) {
    const dir = resolve(requireString(ctx, 'dir'));
    await initDevCaDir(dir, clock());
    const authorities = devCaPaths(dir).map((p) => ({
      id: p.id,
      subject: formatRdns(authorityProfiles[p.id].subject),
      certificate: p.certificate,
      crl: p.crl,
    }));
    ctx.print(BANNER);
    ctx.print(`Created the development CA in ${dir}`);
    for (const a of authorities)
      ctx.print(`  ${a.id.padEnd(10)} ${a.subject}\n             ${a.certificate}`);
    ctx.print(`Trust anchors for \`gongjik cert verify --roots\`: ${resolve(dir, 'gpki')} (GPKI, EPKI)`);
    return { devOnly: true, notice: BANNER, dir, authorities };
  },
});

export const caIssueCommand = defineCommand({
  name: 'ca issue',
  summary: `issue a ${DEV_ONLY} user certificate and write it in the real Korean layout under --out`,
  usage:
    'ca issue --dir D --kind gpki|gpki-special|epki|npki --name 류시원 --org 행정안전부 [--dept …] ' +
    '--password P --out OUT [--not-before T] [--not-after T] [--scheme kisa-seed-sha1|kisa-seed-old|pbes2-sha256]',
  options: {
    dir: dirOption,
    kind: { type: 'string', description: 'gpki (personal), gpki-special, epki or npki' },
    name: { type: 'string', description: 'holder name, e.g. 류시원 (a role name for gpki-special)' },
    org: { type: 'string', description: 'organisation, e.g. 행정안전부' },
    dept: { type: 'string', description: 'department (GPKI/EPKI)' },
    password: { type: 'string', description: 'password of the private key files' },
    out: { type: 'string', description: 'root folder to write GPKI/… or NPKI/… under (a USB stick root)' },
    'not-before': {
      type: 'string',
      description: 'start of validity: ISO 8601 or an offset (+1d; write --not-before=-1d for a past one)',
    },
    'not-after': { type: 'string', description: 'end of validity: ISO 8601 or an offset like +730d' },
    scheme: { type: 'string', description: 'key file encryption (default kisa-seed-sha1)' },
  },
  async run(ctx) {
    const dir = resolve(requireString(ctx, 'dir'));
    const kind = oneOf<DevCaKind>(ctx, 'kind', devCaKinds);
    const name = nameOption(ctx, 'name', true)!;
    const org = nameOption(ctx, 'org', true)!;
    const dept = nameOption(ctx, 'dept', false);
    const password = requireString(ctx, 'password');
    const out = resolve(requireString(ctx, 'out'));
    const scheme = oneOf<KeyFileScheme>(ctx, 'scheme', schemes, 'kisa-seed-sha1');
    const { crypto, now } = clock();
    const nb = optionalString(ctx, 'not-before');
    const na = optionalString(ctx, 'not-after');
    const notBefore = nb ? parseTimeOption('not-before', nb, now) : undefined;
    const notAfter = na ? parseTimeOption('not-after', na, now) : undefined;
    if (notAfter && notAfter.getTime() <= (notBefore ?? now).getTime()) {
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--not-after must be later than --not-before' });
    }

    const ca = await loadDevCa(dir);
    const user = await issueUserCertificates(
      ca,
      { kind, name, org, dept, notBefore, notAfter },
      { crypto, now },
    );
    const bundle = await userBundle(user, { password, scheme, crypto });
    const clash = existingBundleFiles(out, bundle);
    if (clash.length) {
      throw new GongjikError('ERR_CLI_USAGE', {
        problem: `--out already holds ${clash[0]}; not overwriting it`,
      });
    }
    const files = await writeUserBundle(out, bundle);
    await saveDevCa(dir, ca);

    ctx.print(BANNER);
    ctx.print(`Issued ${kind} certificate for ${name}: ${user.subject}`);
    ctx.print(`  serial      ${user.sign.serial}${user.env ? ` (encryption: ${user.env.serial})` : ''}`);
    ctx.print(`  valid       ${user.notBefore.toISOString()} → ${user.notAfter.toISOString()}`);
    ctx.print(`  certificate ${files.signCert}`);
    ctx.print(`  key file    ${files.signKey} (${scheme})`);
    if (files.envCert) ctx.print(`  encryption  ${files.envCert}, ${files.envKey}`);
    return {
      devOnly: true,
      notice: BANNER,
      kind,
      name,
      commonName: user.commonName,
      subject: user.subject,
      issuer: formatRdns(authorityProfiles[user.authority].subject),
      serial: user.sign.serial,
      envSerial: user.env?.serial,
      notBefore: user.notBefore.toISOString(),
      notAfter: user.notAfter.toISOString(),
      scheme,
      files,
    };
  },
});

export const caRevokeCommand = defineCommand({
  name: 'ca revoke',
  summary: `revoke a certificate of the ${DEV_ONLY} development CA (listed at the next \`ca crl\`)`,
  usage: `ca revoke --dir D --serial S [--reason ${Object.keys(revocationReasons).join('|')}]`,
  options: {
    dir: dirOption,
    serial: { type: 'string', description: 'serial number (hex; colons and 0x allowed)' },
    reason: { type: 'string', description: 'CRL reason (default unspecified)' },
  },
  async run(ctx) {
    const dir = resolve(requireString(ctx, 'dir'));
    const serial = requireString(ctx, 'serial');
    const reason = oneOf<RevocationReason>(
      ctx,
      'reason',
      Object.keys(revocationReasons) as RevocationReason[],
      'unspecified',
    );
    const ca = await loadDevCa(dir);
    const { record, alreadyRevoked } = revokeCertificate(ca, serial, { now: new Date(), reason });
    await saveDevCa(dir, ca);
    ctx.print(BANNER);
    ctx.print(
      alreadyRevoked
        ? `Serial ${record.serial} was already revoked (${record.reason}) on ${record.revokedAt}.`
        : `Revoked serial ${record.serial} (${reason}): ${record.subject}`,
    );
    ctx.print('Run `gongjik ca crl --dir …` to publish it in the CRLs.');
    return { devOnly: true, notice: BANNER, alreadyRevoked, ...record };
  },
});

export const caCrlCommand = defineCommand({
  name: 'ca crl',
  summary: `re-issue the CRLs of every ${DEV_ONLY} development CA and print their paths`,
  usage: 'ca crl --dir D',
  options: { dir: dirOption },
  async run(ctx) {
    const dir = resolve(requireString(ctx, 'dir'));
    const ca = await loadDevCa(dir);
    await reissueCrls(ca, clock());
    await saveDevCa(dir, ca);
    const crls = devCaPaths(dir).map((p) => ({
      id: p.id,
      path: p.crl,
      crlNumber: ca.authorities[p.id].crlNumber,
      revoked: ca.issued.filter((r) => r.authority === p.id && r.status === 'revoked').length,
    }));
    ctx.print(BANNER);
    for (const c of crls) ctx.print(`${c.path}  (CRL number ${c.crlNumber}, ${c.revoked} revoked)`);
    return { devOnly: true, notice: BANNER, crls };
  },
});

export const caCommands = [caInitCommand, caIssueCommand, caRevokeCommand, caCrlCommand];
