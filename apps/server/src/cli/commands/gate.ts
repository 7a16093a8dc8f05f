// `gongjik admin gate …` registers gates (admin token); `gongjik gate …` runs one: set-up from the
// administrator's setup code, sync (bundle + log upload, online), verify (offline).
import { readFileSync } from 'node:fs';
import { formatMessage, GongjikError } from '@gongjik/errors';
import {
  createGateAuthToken,
  encodeGateSetupCode,
  type GateDecision,
  type GatePolicy,
  importGateKey,
  loadGateStation,
  parseGateBundle,
  parseGatePolicy,
  parseGateSetupCode,
} from '@gongjik/mobile-id';
import { decideAtGateSync } from '@gongjik/mobile-id/node';
import { adminClient, serverOptions } from '../client.ts';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';
import { GateCache } from '../gate-cache.ts';
import { parseTimeOption } from '../time-option.ts';

type Row = Record<string, unknown>;
const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function usage(problem: string): never {
  throw new GongjikError('ERR_CLI_USAGE', { problem });
}

/** `mon-fri`, `sat,sun`, `1-5` → ISO weekdays. */
export function parseDays(text: string): number[] {
  const day = (s: string) => {
    const i = DAY_NAMES.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + 1 : Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 7) usage('--days takes mon…sun or 1…7, e.g. mon-fri');
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b] = part.trim().split('-');
    if (b === undefined) out.add(day(a!));
    else
      for (let d = day(a!); ; d = (d % 7) + 1) {
        out.add(d);
        if (d === day(b)) break;
      }
  }
  return [...out].sort();
}

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  const items = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((s) =>
    String(s).split(','),
  );
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/** The policy from --policy FILE, or one rule from --agency/--days/--hours for the gate's building. */
function policyOf(ctx: CommandContext, building: string): GatePolicy {
  const file = optionalString(ctx, 'policy');
  if (file) return parseGatePolicy(JSON.parse(readFileSync(file, 'utf8')));
  const agencies = list(ctx, 'agency');
  const [from, to] = (optionalString(ctx, 'hours') ?? '00:00-24:00').split('-');
  return parseGatePolicy({
    timeZone: optionalString(ctx, 'time-zone') ?? 'Asia/Seoul',
    rules: [
      {
        agencies: agencies.length > 0 ? agencies : ['*'],
        buildings: [building],
        days: parseDays(optionalString(ctx, 'days') ?? 'mon-sun'),
        from,
        to,
      },
    ],
  });
}

function printGate(ctx: CommandContext, g: Row): void {
  ctx.print(`${g.id}  ${String(g.state).padEnd(8)} ${g.name}  group ${g.gateGroup}  building ${g.building}`);
  const policy = g.policy as GatePolicy;
  for (const r of policy.rules ?? []) {
    ctx.print(
      `  allow ${r.agencies.join(',')} in ${r.buildings.join(',')} on ${r.days.map((d) => DAY_NAMES[d - 1]).join(',')} ${r.from}-${r.to} (${policy.timeZone})`,
    );
  }
  if (g.lastSyncAt) ctx.print(`  last sync ${g.lastSyncAt}`);
}

export const adminGateAdd = defineCommand({
  name: 'admin gate add',
  summary:
    'register a gate: a key pair is made here, the server gets the public key; prints the setup code once',
  usage:
    'admin gate add --name NAME --group GATE_GROUP --building B [--agency CODE …] [--days mon-fri] [--hours 07:00-20:00] [--time-zone Asia/Seoul] | [--policy FILE.json]',
  options: {
    ...serverOptions,
    name: { type: 'string', description: 'what people call the gate (e.g. 6동 1층 정문)' },
    group: {
      type: 'string',
      description: 'gate group: the audience of the wallet’s QR (e.g. sejong/bldg-6)',
    },
    building: { type: 'string', description: 'building code of the gate (e.g. bldg-6)' },
    agency: {
      type: 'string',
      multiple: true,
      description: 'allowed agency code (repeat; default every agency)',
    },
    days: { type: 'string', description: 'allowed weekdays (default mon-sun)' },
    hours: {
      type: 'string',
      description: 'allowed hours HH:MM-HH:MM in the time zone (default 00:00-24:00)',
    },
    'time-zone': { type: 'string', description: 'IANA time zone of the hours (default Asia/Seoul)' },
    policy: {
      type: 'string',
      description: 'a JSON policy file {timeZone, rules:[{agencies, buildings, days, from, to}]}',
    },
  },
  async run(ctx) {
    const building = requireString(ctx, 'building');
    const policy = policyOf(ctx, building);
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const r = await adminClient(ctx).request<{ gate: Row }>('POST', '/api/v1/admin/gates', {
      name: requireString(ctx, 'name'),
      gateGroup: requireString(ctx, 'group'),
      building,
      policy,
      publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    });
    const setupCode = encodeGateSetupCode({
      gateId: r.gate.id as string,
      privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    });
    printGate(ctx, r.gate);
    ctx.print('');
    ctx.print('Setup code (shown once; it holds the gate’s private key — give it only to the gate):');
    ctx.print(setupCode);
    return { gate: r.gate, setupCode };
  },
});

export const adminGateList = defineCommand({
  name: 'admin gate list',
  summary: 'list registered gates with their policy and last sync',
  options: { ...serverOptions },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ gates: Row[] }>('GET', '/api/v1/admin/gates');
    for (const g of r.gates) printGate(ctx, g);
    if (r.gates.length === 0) ctx.print('no gates');
    return r;
  },
});

export const adminGateDisable = defineCommand({
  name: 'admin gate disable',
  summary: 'disable a gate: it can no longer fetch its bundle or upload its log',
  usage: 'admin gate disable GATE_ID',
  options: { ...serverOptions },
  async run(ctx) {
    const id = ctx.positionals[0] ?? usage('the gate id is required');
    const r = await adminClient(ctx).request<{ gate: Row }>(
      'POST',
      `/api/v1/admin/gates/${encodeURIComponent(id)}/disable`,
    );
    printGate(ctx, r.gate);
    return r;
  },
});

const dirOption = {
  dir: { type: 'string', description: 'the gate’s cache folder (default ./gate)' },
} as const;
const cacheOf = (ctx: CommandContext) => new GateCache(optionalString(ctx, 'dir') ?? 'gate');

/** A gate-authenticated call to the server (Authorization: Gate <token>). */
async function gateCall(cache: GateCache, method: string, path: string, body?: unknown): Promise<Row> {
  const config = cache.config();
  const key = await importGateKey({ gateId: config.gateId, privateJwk: config.privateJwk });
  const origin = new URL(config.server).origin;
  const token = await createGateAuthToken({
    gateId: config.gateId,
    privateKey: key,
    origin,
    method,
    path,
    now: new Date(),
  });
  let res: Response;
  try {
    res = await fetch(`${origin}${path}`, {
      method,
      headers: {
        authorization: `Gate ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server: origin }, { cause });
  }
  const json = (await res.json().catch(() => ({}))) as Row;
  if (!res.ok) {
    const code = typeof json.code === 'string' ? json.code : 'ERR_SERVER_INTERNAL';
    throw new GongjikError(code as never, (json.details ?? {}) as Record<string, string>);
  }
  return json;
}

async function sync(ctx: CommandContext, cache: GateCache) {
  const bundle = parseGateBundle(await gateCall(cache, 'GET', '/api/v1/gates/bundle'));
  // Verify before caching: a bundle whose lists do not verify with its keys is not kept.
  const station = await loadGateStation(bundle, new Date());
  cache.writeBundle(bundle);
  const queued = cache.queuedLog();
  let uploaded = 0;
  for (let i = 0; i < queued.length; i += 500) {
    const events = queued.slice(i, i + 500).map((d) => ({
      id: d.id,
      at: d.at,
      allow: d.allow,
      code: d.code,
      subject: d.subject,
      agencyCode: d.agencyCode,
    }));
    await gateCall(cache, 'POST', '/api/v1/gates/log', { events });
    uploaded += events.length;
  }
  if (uploaded > 0) cache.dropLog(uploaded);
  ctx.print(
    `synced gate ${station.gate.name} (${station.gate.gateGroup}): ${station.statusLists.length} status list(s), refresh after ${new Date(station.refreshAt * 1000).toISOString()}; uploaded ${uploaded} log entries`,
  );
  return {
    gate: station.gate,
    statusLists: station.statusLists.map((l) => ({ uri: l.uri, iat: l.iat, exp: l.exp, ttl: l.ttl })),
    refreshAt: new Date(station.refreshAt * 1000).toISOString(),
    uploaded,
  };
}

export const gateSetup = defineCommand({
  name: 'gate setup',
  summary: 'set up this gate from the administrator’s setup code, then sync',
  usage: 'gate setup --server URL --code SETUP_CODE [--dir DIR]',
  options: {
    ...dirOption,
    server: { type: 'string', description: 'server URL' },
    code: { type: 'string', description: 'the setup code printed by gongjik admin gate add' },
  },
  async run(ctx) {
    const setup = parseGateSetupCode(requireString(ctx, 'code'));
    await importGateKey(setup);
    const cache = cacheOf(ctx);
    cache.writeConfig({ server: requireString(ctx, 'server'), ...setup });
    return { gateId: setup.gateId, ...(await sync(ctx, cache)) };
  },
});

export const gateSync = defineCommand({
  name: 'gate sync',
  summary: 'fetch the gate’s bundle (issuer keys, status lists, policy) and upload the queued log (online)',
  usage: 'gate sync [--dir DIR]',
  options: { ...dirOption },
  run: (ctx) => sync(ctx, cacheOf(ctx)),
});

export const gateVerify = defineCommand({
  name: 'gate verify',
  summary: 'decide ALLOW or DENY for a scanned gate QR, offline, with the cached bundle',
  usage: 'gate verify [QR | -] [--dir DIR] [--at TIME] [--json]   (reads the QR from stdin without one)',
  options: {
    ...dirOption,
    at: { type: 'string', description: 'decide as of this time (testing; default now)' },
  },
  async run(ctx) {
    const cache = cacheOf(ctx);
    const arg = ctx.positionals[0];
    const qr = (arg === undefined || arg === '-' ? readFileSync(0, 'utf8') : arg).trim();
    const at = optionalString(ctx, 'at');
    const now = at ? parseTimeOption('at', at, new Date()) : new Date();
    const station = await loadGateStation(cache.bundle(), now);
    const seen = cache.seen();
    const decision: GateDecision = decideAtGateSync(qr, station, now, seen);
    seen.save(Math.floor(now.getTime() / 1000));
    cache.appendLog(decision);
    const stale = Math.floor(now.getTime() / 1000) >= station.refreshAt;
    if (decision.allow) {
      ctx.print(`ALLOW  ${decision.subject} (${decision.agencyCode})`);
    } else {
      ctx.print(`DENY   ${decision.code}`);
      ctx.print(`       ${formatMessage(decision.code!, 'ko', decision.details)}`);
      ctx.print(`       ${formatMessage(decision.code!, 'en', decision.details)}`);
    }
    if (stale)
      ctx.warn('warning: the cached bundle is past its refresh time; run gongjik gate sync when online');
    return {
      decision: decision.allow ? 'ALLOW' : 'DENY',
      code: decision.code,
      message: decision.code
        ? {
            ko: formatMessage(decision.code, 'ko', decision.details),
            en: formatMessage(decision.code, 'en', decision.details),
          }
        : null,
      subject: decision.subject,
      agencyCode: decision.agencyCode,
      at: decision.at,
      id: decision.id,
      bundleStale: stale,
    };
  },
});

export const gateCommands = [adminGateAdd, adminGateList, adminGateDisable, gateSetup, gateSync, gateVerify];
