// The server's configuration: parsed ONCE at start-up from the environment and the command-line
// flags, validated with zod, frozen and passed down. Nothing else reads process.env.
import { resolve } from 'node:path';
import { GongjikError } from '@gongjik/errors';
import { z } from 'zod';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);
const bool = (def: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Environment variables the server reads, with their defaults. */
const envSchema = z.object({
  GONGJIK_HTTP_PORT: int(8080, 0, 65535),
  GONGJIK_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  GONGJIK_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  GONGJIK_MAIL_DOMAIN: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      'must be a lower-case domain name',
    )
    .default('korea.kr'),
  GONGJIK_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  GONGJIK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GONGJIK_TRUST_PROXY: bool(false),
  GONGJIK_SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  GONGJIK_SESSION_ABSOLUTE_HOURS: int(12, 1, 24 * 30),
  GONGJIK_SIGNUP_CODE_TTL_HOURS: int(72, 1, 24 * 30),
  GONGJIK_SIGNUP_CODE_MAX_ATTEMPTS: int(5, 1, 20),
  GONGJIK_RETIREMENT_WARNING_DAYS: int(30, 0, 365),
  GONGJIK_RETIREMENT_CHECK_SECONDS: int(300, 1, 86400),
  // mobile ID (docs/mobile-id-protocol.md)
  GONGJIK_MID_WALLET_URL: z.url({ protocol: /^https?$/ }).optional(),
  GONGJIK_MID_OFFER_TTL_HOURS: int(168, 1, 24 * 60),
  GONGJIK_MID_TX_CODE_MAX_ATTEMPTS: int(5, 1, 20),
  GONGJIK_MID_CREDENTIAL_DAYS: int(1095, 1, 3650),
  GONGJIK_MID_PIN_MAX_FAILURES: int(5, 1, 20),
  GONGJIK_MID_PIN_ITERATIONS: int(200_000, 1_000, 2_000_000),
  GONGJIK_MID_PIN_PEPPER: z.string().min(32).optional(),
  GONGJIK_MID_UNLOCK_HOURS: int(12, 1, 24 * 7),
  GONGJIK_MID_STATUS_TTL_SECONDS: int(300, 10, 86400),
  GONGJIK_MID_STATUS_VALID_HOURS: int(24, 1, 24 * 30),
  GONGJIK_MID_STATUS_LIST_SIZE: int(1_048_576, 1024, 16_777_216),
  GONGJIK_SMS_PROVIDER: z.enum(['outbox', 'webhook']).default('outbox'),
  GONGJIK_SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  GONGJIK_SMS_WEBHOOK_SECRET: z.string().min(32).optional(),
  GONGJIK_SMS_MAX_ATTEMPTS: int(6, 1, 20),
});

export interface ConfigFlags {
  /** --data DIR */
  readonly dataDir?: string;
  /** --no-demo */
  readonly noDemo?: boolean;
  /** --port N (tests use 0) */
  readonly port?: number;
}

export interface Config {
  readonly http: { readonly port: number; readonly host: string; readonly trustProxy: boolean };
  /** The origin browsers use, e.g. https://mail.korea.kr (no trailing slash). */
  readonly publicUrl: string;
  readonly publicOrigin: string;
  /** Absolute path of the data directory (PGlite database, admin token, demo kit, blobs). */
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly mailDomain: string;
  readonly logLevel: string;
  readonly demo: boolean;
  readonly sessions: {
    readonly idleMs: number;
    readonly absoluteMs: number;
    /** false only when publicUrl is http://localhost (development). */
    readonly secureCookie: boolean;
  };
  readonly signup: { readonly codeTtlMs: number; readonly codeMaxAttempts: number };
  readonly retirement: { readonly warningDays: number; readonly checkIntervalMs: number };
  readonly mobileId: MobileIdConfig;
  readonly sms: SmsConfig;
}

/** The mobile ID issuer (see docs/mobile-id-protocol.md). */
export interface MobileIdConfig {
  /** credential_issuer: the public URL */
  readonly issuer: string;
  /** where SMS install links point: the wallet PWA's origin (default <public URL>/wallet) */
  readonly walletUrl: string;
  readonly offerTtlMs: number;
  readonly txCodeMaxAttempts: number;
  readonly credentialValidMs: number;
  readonly pinMaxFailures: number;
  readonly pinIterations: number;
  /** HMAC key for stored PIN verifiers; undefined: <data-dir>/mobile-id-pin-pepper */
  readonly pinPepper: string | undefined;
  readonly unlockMs: number;
  readonly statusTtlSeconds: number;
  readonly statusValidSeconds: number;
  readonly statusListSize: number;
}

export interface SmsConfig {
  readonly provider: 'outbox' | 'webhook';
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  readonly maxAttempts: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Parses and freezes the configuration, or throws ERR_SERVER_CONFIG_INVALID naming the variable. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
  cwd: string = process.cwd(),
): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: String(issue.path[0] ?? ''),
      problem: issue.message,
    });
  }
  const e = parsed.data;
  const port = flags.port ?? e.GONGJIK_HTTP_PORT;
  const publicUrl = (e.GONGJIK_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const url = new URL(publicUrl);
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: 'GONGJIK_PUBLIC_URL',
      problem: 'must be https:// (plain http is accepted only for localhost)',
    });
  }
  if (e.GONGJIK_SMS_PROVIDER === 'webhook' && (!e.GONGJIK_SMS_WEBHOOK_URL || !e.GONGJIK_SMS_WEBHOOK_SECRET)) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: 'GONGJIK_SMS_WEBHOOK_URL',
      problem: 'the webhook SMS provider needs GONGJIK_SMS_WEBHOOK_URL and GONGJIK_SMS_WEBHOOK_SECRET',
    });
  }
  const config: Config = {
    http: { port, host: e.GONGJIK_HTTP_HOST, trustProxy: e.GONGJIK_TRUST_PROXY },
    publicUrl,
    publicOrigin: url.origin,
    dataDir: resolve(cwd, flags.dataDir ?? e.GONGJIK_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    mailDomain: e.GONGJIK_MAIL_DOMAIN,
    logLevel: e.GONGJIK_LOG_LEVEL,
    demo: !flags.noDemo,
    sessions: {
      idleMs: e.GONGJIK_SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: e.GONGJIK_SESSION_ABSOLUTE_HOURS * 3_600_000,
      secureCookie: !(url.protocol === 'http:' && loopback),
    },
    signup: {
      codeTtlMs: e.GONGJIK_SIGNUP_CODE_TTL_HOURS * 3_600_000,
      codeMaxAttempts: e.GONGJIK_SIGNUP_CODE_MAX_ATTEMPTS,
    },
    retirement: {
      warningDays: e.GONGJIK_RETIREMENT_WARNING_DAYS,
      checkIntervalMs: e.GONGJIK_RETIREMENT_CHECK_SECONDS * 1000,
    },
    mobileId: {
      issuer: publicUrl,
      walletUrl: (e.GONGJIK_MID_WALLET_URL ?? `${publicUrl}/wallet`).replace(/\/+$/, ''),
      offerTtlMs: e.GONGJIK_MID_OFFER_TTL_HOURS * 3_600_000,
      txCodeMaxAttempts: e.GONGJIK_MID_TX_CODE_MAX_ATTEMPTS,
      credentialValidMs: e.GONGJIK_MID_CREDENTIAL_DAYS * 86_400_000,
      pinMaxFailures: e.GONGJIK_MID_PIN_MAX_FAILURES,
      pinIterations: e.GONGJIK_MID_PIN_ITERATIONS,
      pinPepper: e.GONGJIK_MID_PIN_PEPPER,
      unlockMs: e.GONGJIK_MID_UNLOCK_HOURS * 3_600_000,
      statusTtlSeconds: e.GONGJIK_MID_STATUS_TTL_SECONDS,
      statusValidSeconds: Math.max(e.GONGJIK_MID_STATUS_VALID_HOURS * 3600, e.GONGJIK_MID_STATUS_TTL_SECONDS),
      statusListSize: e.GONGJIK_MID_STATUS_LIST_SIZE,
    },
    sms: {
      provider: e.GONGJIK_SMS_PROVIDER,
      webhookUrl: e.GONGJIK_SMS_WEBHOOK_URL,
      webhookSecret: e.GONGJIK_SMS_WEBHOOK_SECRET,
      maxAttempts: e.GONGJIK_SMS_MAX_ATTEMPTS,
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
