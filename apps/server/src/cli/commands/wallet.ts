// `gongjik wallet …`: the headless wallet from @gongjik/mobile-id with a file-backed storage —
// install from an SMS link, set or change the PIN, unlock, show the card, make a gate QR.
// DEVELOPMENT AND AUTOMATION ONLY: the store file (0600) holds the device key as a JWK.
import { GongjikError } from '@gongjik/errors';
import {
  parseJws,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  splitSdJwt,
  verifyStatusListToken,
  Wallet,
  type WalletCard,
} from '@gongjik/mobile-id';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';
import { FileWalletStorage } from '../wallet-file-storage.ts';

const storeOption = {
  store: {
    type: 'string',
    description: 'wallet file (created 0600; holds the device key: dev/automation only)',
  },
} as const;

function walletOf(ctx: CommandContext, fetchImpl: typeof fetch = fetch): Wallet {
  return new Wallet({
    storage: new FileWalletStorage(requireString(ctx, 'store')),
    fetch: (url, init) => fetchImpl(url, init),
    extractableDeviceKey: true,
  });
}

const when = (s: number) => new Date(s * 1000).toISOString();

export const walletInstall = defineCommand({
  name: 'wallet install',
  summary: 'install the mobile ID from the SMS install link and the one-time code',
  usage: 'wallet install --offer URL --code CODE --store FILE [--pin PIN]',
  options: {
    ...storeOption,
    offer: { type: 'string', description: 'the install link from the first SMS' },
    code: { type: 'string', description: 'the one-time code from the second SMS' },
    pin: {
      type: 'string',
      description: 'set this 6-digit PIN at once (else: wallet pin --set, within 15 minutes)',
    },
  },
  async run(ctx) {
    const pin = optionalString(ctx, 'pin');
    let shown: Record<string, unknown> | undefined;
    const card = await walletOf(ctx).install(requireString(ctx, 'offer'), requireString(ctx, 'code'), {
      ...(pin ? { pin } : {}),
      confirm: (p) => {
        shown = p as unknown as Record<string, unknown>;
        return true;
      },
    });
    ctx.print(
      `installed: ${card.claims.name} ${card.claims.employee_number} (${(card.claims.agency as { name: string }).name})`,
    );
    ctx.print(pin ? 'PIN set.' : 'Set the PIN now: gongjik wallet pin --set --pin NNNNNN --store …');
    return { card: summary(card), identity: shown, pinSet: pin !== undefined };
  },
});

export const walletPin = defineCommand({
  name: 'wallet pin',
  summary: 'set the first PIN (--set) or change it (--change with --new-pin)',
  usage: 'wallet pin (--set --pin PIN | --change --pin CURRENT --new-pin NEW) --store FILE',
  options: {
    ...storeOption,
    set: { type: 'boolean', description: 'set the first PIN (right after installing)' },
    change: { type: 'boolean', description: 'change the PIN' },
    pin: { type: 'string', description: 'the PIN (the current one with --change)' },
    'new-pin': { type: 'string', description: 'the new PIN (--change)' },
  },
  async run(ctx) {
    const wallet = walletOf(ctx);
    if (ctx.values.set === true) {
      await wallet.setPin(requireString(ctx, 'pin'));
      ctx.print('PIN set.');
      return { pinSet: true };
    }
    if (ctx.values.change === true) {
      await wallet.changePin(requireString(ctx, 'pin'), requireString(ctx, 'new-pin'));
      ctx.print('PIN changed.');
      return { pinChanged: true };
    }
    throw new GongjikError('ERR_CLI_USAGE', { problem: 'say --set or --change' });
  },
});

export const walletUnlock = defineCommand({
  name: 'wallet unlock',
  summary: 'unlock the card with the PIN (checked by the server; the fifth wrong PIN locks the card)',
  usage: 'wallet unlock --pin PIN --store FILE',
  options: { ...storeOption, pin: { type: 'string', description: 'the 6-digit PIN' } },
  async run(ctx) {
    const exp = await walletOf(ctx).unlock(requireString(ctx, 'pin'));
    ctx.print(`unlocked until ${when(exp)}`);
    return { unlockedUntil: when(exp) };
  },
});

export const walletShow = defineCommand({
  name: 'wallet show',
  summary: 'show the card, whether it is unlocked, and (unless --offline) its live status',
  usage: 'wallet show --store FILE [--offline]',
  options: { ...storeOption, offline: { type: 'boolean', description: 'do not fetch the status list' } },
  async run(ctx) {
    const wallet = walletOf(ctx);
    const card = await wallet.card();
    if (!card) throw new GongjikError('ERR_MID_WALLET_NO_CREDENTIAL');
    const unlocked = await wallet.unlockedUntil();
    const status = ctx.values.offline === true ? 'unknown (offline)' : await liveStatus(card);
    const c = card.claims as Record<string, unknown>;
    ctx.print(`모바일 공무원증 — ${c.name}`);
    ctx.print(`  ${(c.agency as { name: string }).name} ${c.department} ${c.position}`);
    ctx.print(`  employee number ${c.employee_number}, valid until ${when(card.validUntil)}`);
    ctx.print(
      `  status: ${status}; ${unlocked ? `unlocked until ${when(unlocked)}` : 'locked (wallet unlock)'}`,
    );
    return { card: summary(card), status, unlockedUntil: unlocked ? when(unlocked) : null };
  },
});

export const walletQr = defineCommand({
  name: 'wallet qr',
  summary: 'print a gate QR payload for a gate group (valid 30 s; needs an unlock)',
  usage: 'wallet qr --gate GROUP --store FILE',
  options: { ...storeOption, gate: { type: 'string', description: 'gate group, e.g. sejong/bldg-6' } },
  async run(ctx) {
    const qr = await walletOf(ctx).gateQr(requireString(ctx, 'gate'));
    ctx.print(qr);
    return { qr, bytes: qr.length };
  },
});

function summary(card: WalletCard) {
  return {
    issuer: card.issuer,
    claims: card.claims,
    validUntil: when(card.validUntil),
    status: card.status,
    deviceKeyThumbprint: card.jkt ?? null,
    pinProtected: card.pinEndpoints !== undefined,
  };
}

/** VALID / SUSPENDED / INVALID from the issuer's published list (verified with its JWKS). */
async function liveStatus(card: WalletCard): Promise<string> {
  const ref = (
    parseJws(splitSdJwt(card.sdJwt).jwt, 'SD-JWT').payload.status as {
      status_list: { idx: number; uri: string };
    }
  ).status_list;
  let jwks: unknown;
  let token: string;
  try {
    jwks = await (await fetch(`${card.issuer}/api/v1/mid/jwks`)).json();
    token = await (await fetch(ref.uri, { headers: { 'cache-control': 'no-cache' } })).text();
  } catch (cause) {
    throw new GongjikError('ERR_CLI_SERVER_UNREACHABLE', { server: card.issuer }, { cause });
  }
  const list = await verifyStatusListToken(token, {
    issuerKeys: jwks as never,
    uri: ref.uri,
    now: new Date(),
  });
  const v = list.list.get(ref.idx);
  return v === 0
    ? 'VALID'
    : v === STATUS_SUSPENDED
      ? 'SUSPENDED'
      : v === STATUS_INVALID
        ? 'INVALID'
        : `status ${v}`;
}

export const walletCommands = [walletInstall, walletPin, walletUnlock, walletShow, walletQr];
