// The server's configuration: parsed ONCE at start-up from the environment and the command-line
// flags, validated with zod, frozen and passed down. Nothing else reads process.env.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  // HTTP worker processes (`gongjik start --workers N`): 'auto' = one per CPU (at most 8) with
  // PostgreSQL, 1 with the embedded PGlite (a single-process database)
  GONGJIK_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default('auto'),
  /** set by the cluster primary for each worker it forks (0 = the one running background jobs) */
  GONGJIK_WORKER_INDEX: z.coerce.number().int().min(0).max(63).optional(),
  GONGJIK_DB_POOL_SIZE: int(10, 1, 500),
  GONGJIK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GONGJIK_TRUST_PROXY: bool(false),
  GONGJIK_SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  GONGJIK_SESSION_ABSOLUTE_HOURS: int(12, 1, 24 * 30),
  GONGJIK_SIGNUP_CODE_TTL_HOURS: int(72, 1, 24 * 30),
  GONGJIK_SIGNUP_CODE_MAX_ATTEMPTS: int(5, 1, 20),
  GONGJIK_RETIREMENT_WARNING_DAYS: int(30, 0, 365),
  GONGJIK_CERT_EXPIRY_WARNING_DAYS: int(30, 0, 365),
  GONGJIK_RETIREMENT_CHECK_SECONDS: int(300, 1, 86400),
  GONGJIK_OIDC_KEY_SECRET: z.string().min(32, 'must be at least 32 characters of random text').optional(),
  GONGJIK_TRUST_DIR: z.string().min(1).optional(),
  GONGJIK_WEB_DIST: z.string().min(1).optional(),
  GONGJIK_SIGNUP_TOKEN_MINUTES: int(15, 1, 120),
  GONGJIK_LOGIN_FAILURE_WINDOW_MINUTES: int(15, 1, 24 * 60),
  GONGJIK_LOGIN_MAX_FAILURES_PER_ACCOUNT: int(10, 1, 1000),
  GONGJIK_LOGIN_MAX_FAILURES_PER_IP: int(50, 1, 100000),
  GONGJIK_SMTP_ENABLED: bool(true),
  GONGJIK_SMTP_PORT: int(2525, 0, 65535),
  GONGJIK_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  GONGJIK_SMTP_HOSTNAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name')
    .optional(),
  GONGJIK_SMTP_MAX_MESSAGE_BYTES: int(25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  GONGJIK_SMTP_MAX_RECIPIENTS: int(100, 1, 1000),
  GONGJIK_SMTP_MAX_CONNECTIONS_PER_IP: int(20, 1, 100_000),
  GONGJIK_SMTP_MESSAGES_PER_MINUTE_PER_IP: int(600, 1, 10_000_000),
  GONGJIK_SMTP_TLS_KEY: z.string().min(1).optional(),
  GONGJIK_SMTP_TLS_CERT: z.string().min(1).optional(),
  GONGJIK_SMTP_DNS: z.enum(['system', 'none']).default('system'),
  // SO_REUSEPORT (Linux): several `gongjik start` processes share the SMTP port, the kernel spreads
  // the connections. An error on platforms without it.
  GONGJIK_SMTP_REUSE_PORT: bool(false),
  GONGJIK_MAIL_QUOTA_MB: int(1024, 1, 10_000_000),
  // Blob garbage collection: every N hours (0 = never; `gongjik admin mail gc` runs it at once),
  // keeping blobs written within the grace period whatever refers to them.
  GONGJIK_MAIL_GC_HOURS: int(24, 0, 24 * 7),
  GONGJIK_MAIL_GC_GRACE_HOURS: int(24, 1, 24 * 365),
  GONGJIK_OUTBOUND_ENABLED: bool(true),
  GONGJIK_SMARTHOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}:[0-9]{1,5}$/, 'must be host:port')
    .optional(),
  GONGJIK_SMTP_OUTBOUND_PORT: int(25, 1, 65535),
  GONGJIK_OUTBOUND_RETRY_BASE_SECONDS: int(300, 1, 86400),
  GONGJIK_OUTBOUND_RETRY_MAX_SECONDS: int(8 * 3600, 1, 7 * 86400),
  GONGJIK_OUTBOUND_MAX_ATTEMPTS: int(12, 1, 100),
  // mobile ID (docs/mobile-id-protocol.md)
  GONGJIK_MID_WALLET_URL: z.url({ protocol: /^https?$/ }).optional(),
  // `gongjik start` serves the wallet PWA on this port of the same host (0: do not serve it)
  GONGJIK_WALLET_PORT: int(8081, 0, 65535),
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
  // the help desk number shown to officials and on the login page (digits and hyphens, e.g. 1600-3373)
  GONGJIK_HELP_DESK_PHONE: z
    .string()
    .regex(/^(?=(?:\D*\d){3,15}\D*$)\+?[0-9]+(-[0-9]+){0,4}$/, 'must be a phone number such as 1600-3373')
    .default('1600-3373'),
});

/** apps/web/dist of this checkout: the built web app the server serves at `/`. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ConfigFlags {
  /** --data DIR */
  readonly dataDir?: string;
  /** --no-demo */
  readonly noDemo?: boolean;
  /** --port N (tests use 0) */
  readonly port?: number;
  /** --smtp-port N (tests use 0) */
  readonly smtpPort?: number;
  /** --workers N|auto */
  readonly workers?: number | 'auto';
}

export interface Config {
  readonly http: { readonly port: number; readonly host: string; readonly trustProxy: boolean };
  /** The origin browsers use, e.g. https://mail.korea.kr (no trailing slash). */
  readonly publicUrl: string;
  readonly publicOrigin: string;
  /** Absolute path of the data directory (PGlite database, admin token, demo kit, blobs). */
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** PostgreSQL connections per process */
  readonly dbPoolSize: number;
  /**
   * Server processes: `workers` HTTP workers (node:cluster, one listening socket); `workerIndex` is
   * this process's place (null: not a cluster worker). Worker 0 also runs SMTP and the timers.
   */
  readonly cluster: { readonly workers: number; readonly workerIndex: number | null };
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
  /** OpenID Connect provider: the secret that encrypts its private keys at rest (else a data-dir file). */
  readonly oidc: { readonly keySecret: string | undefined };
  readonly auth: {
    /** trust anchors, CA certificates and CRLs for certificate login (GONGJIK_TRUST_DIR, <data-dir>/trust) */
    readonly trustDir: string;
    /** a challenge is valid this long (2 minutes) */
    readonly challengeTtlMs: number;
    /** the signupToken of /signup/verify is valid this long */
    readonly signupTokenTtlMs: number;
    /** warn at login when the certificate expires within this many days (renew before expiry) */
    readonly certificateWarningDays: number;
    /** failed logins: sliding window and limits per account and per IP */
    readonly rateLimit: {
      readonly windowMs: number;
      readonly maxPerAccount: number;
      readonly maxPerIp: number;
    };
  };
  /** the built web app (apps/web/dist), served at `/` */
  readonly web: { readonly distDir: string };
  readonly smtp: {
    readonly enabled: boolean;
    readonly port: number;
    readonly host: string;
    /** greeting, Received and Authentication-Results name */
    readonly hostname: string;
    readonly maxMessageBytes: number;
    readonly maxRecipients: number;
    readonly maxConnectionsPerIp: number;
    readonly messagesPerMinutePerIp: number;
    /** PEM files; both unset: a self-signed certificate in <data-dir>/tls (development) */
    readonly tlsKeyFile: string | undefined;
    readonly tlsCertFile: string | undefined;
    /** 'none': every DNS lookup of SPF/DKIM/DMARC fails at once (offline development, tests) */
    readonly dns: 'system' | 'none';
    /** SO_REUSEPORT: several processes share the SMTP port */
    readonly reusePort: boolean;
  };
  readonly mail: {
    readonly defaultQuotaBytes: number;
    /** blob garbage collection interval; 0 = off */
    readonly gcIntervalMs: number;
    readonly gcGraceMs: number;
  };
  /** the outbound queue worker (sending to other domains) */
  readonly outbound: {
    readonly enabled: boolean;
    /** deliver everything through this host instead of MX lookup */
    readonly smarthost: { readonly host: string; readonly port: number } | null;
    /** the port of MX hosts (25; another only for development and tests) */
    readonly mxPort: number;
    readonly retry: { baseDelayMs: number; factor: number; maxDelayMs: number; maxAttempts: number };
  };
  readonly mobileId: MobileIdConfig;
  readonly sms: SmsConfig;
  /** what officials are told to call when they need help (GET /api/v1/support) */
  readonly support: { readonly helpDeskPhone: string };
}

/** The mobile ID issuer (see docs/mobile-id-protocol.md). */
export interface MobileIdConfig {
  /** credential_issuer: the public URL */
  readonly issuer: string;
  /** where SMS install links point: the wallet PWA's origin (default: the public URL's host, port GONGJIK_WALLET_PORT) */
  readonly walletUrl: string;
  /** the port `gongjik start` serves the wallet on (0: not served) */
  readonly walletPort: number;
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
  const dataDir = resolve(cwd, flags.dataDir ?? e.GONGJIK_DATA_DIR);
  if (e.GONGJIK_SMS_PROVIDER === 'webhook' && (!e.GONGJIK_SMS_WEBHOOK_URL || !e.GONGJIK_SMS_WEBHOOK_SECRET)) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: 'GONGJIK_SMS_WEBHOOK_URL',
      problem: 'the webhook SMS provider needs GONGJIK_SMS_WEBHOOK_URL and GONGJIK_SMS_WEBHOOK_SECRET',
    });
  }
  const workersWanted = flags.workers ?? e.GONGJIK_WORKERS;
  const workers =
    workersWanted === 'auto' ? (e.DATABASE_URL ? Math.min(availableParallelism(), 8) : 1) : workersWanted;
  if (workers > 1 && !e.DATABASE_URL) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: 'GONGJIK_WORKERS',
      problem: 'several worker processes need PostgreSQL (DATABASE_URL): the embedded PGlite is one process',
    });
  }
  const config: Config = {
    http: { port, host: e.GONGJIK_HTTP_HOST, trustProxy: e.GONGJIK_TRUST_PROXY },
    publicUrl,
    publicOrigin: url.origin,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.GONGJIK_DB_POOL_SIZE,
    cluster: { workers, workerIndex: e.GONGJIK_WORKER_INDEX ?? null },
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
    oidc: { keySecret: e.GONGJIK_OIDC_KEY_SECRET },
    auth: {
      trustDir: e.GONGJIK_TRUST_DIR ? resolve(cwd, e.GONGJIK_TRUST_DIR) : resolve(dataDir, 'trust'),
      challengeTtlMs: 2 * 60_000,
      signupTokenTtlMs: e.GONGJIK_SIGNUP_TOKEN_MINUTES * 60_000,
      certificateWarningDays: e.GONGJIK_CERT_EXPIRY_WARNING_DAYS,
      rateLimit: {
        windowMs: e.GONGJIK_LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
        maxPerAccount: e.GONGJIK_LOGIN_MAX_FAILURES_PER_ACCOUNT,
        maxPerIp: e.GONGJIK_LOGIN_MAX_FAILURES_PER_IP,
      },
    },
    web: { distDir: e.GONGJIK_WEB_DIST ? resolve(cwd, e.GONGJIK_WEB_DIST) : DEFAULT_WEB_DIST },
    smtp: {
      enabled: e.GONGJIK_SMTP_ENABLED,
      port: flags.smtpPort ?? e.GONGJIK_SMTP_PORT,
      host: e.GONGJIK_SMTP_HOST,
      hostname: e.GONGJIK_SMTP_HOSTNAME ?? `mail.${e.GONGJIK_MAIL_DOMAIN}`,
      maxMessageBytes: e.GONGJIK_SMTP_MAX_MESSAGE_BYTES,
      maxRecipients: e.GONGJIK_SMTP_MAX_RECIPIENTS,
      maxConnectionsPerIp: e.GONGJIK_SMTP_MAX_CONNECTIONS_PER_IP,
      messagesPerMinutePerIp: e.GONGJIK_SMTP_MESSAGES_PER_MINUTE_PER_IP,
      tlsKeyFile: e.GONGJIK_SMTP_TLS_KEY ? resolve(cwd, e.GONGJIK_SMTP_TLS_KEY) : undefined,
      tlsCertFile: e.GONGJIK_SMTP_TLS_CERT ? resolve(cwd, e.GONGJIK_SMTP_TLS_CERT) : undefined,
      dns: e.GONGJIK_SMTP_DNS,
      reusePort: e.GONGJIK_SMTP_REUSE_PORT,
    },
    mail: {
      defaultQuotaBytes: e.GONGJIK_MAIL_QUOTA_MB * 1024 * 1024,
      gcIntervalMs: e.GONGJIK_MAIL_GC_HOURS * 3_600_000,
      gcGraceMs: e.GONGJIK_MAIL_GC_GRACE_HOURS * 3_600_000,
    },
    outbound: {
      enabled: e.GONGJIK_OUTBOUND_ENABLED,
      smarthost: e.GONGJIK_SMARTHOST
        ? {
            host: e.GONGJIK_SMARTHOST.slice(0, e.GONGJIK_SMARTHOST.lastIndexOf(':')),
            port: Number(e.GONGJIK_SMARTHOST.slice(e.GONGJIK_SMARTHOST.lastIndexOf(':') + 1)),
          }
        : null,
      mxPort: e.GONGJIK_SMTP_OUTBOUND_PORT,
      retry: {
        baseDelayMs: e.GONGJIK_OUTBOUND_RETRY_BASE_SECONDS * 1000,
        factor: 2,
        maxDelayMs: e.GONGJIK_OUTBOUND_RETRY_MAX_SECONDS * 1000,
        maxAttempts: e.GONGJIK_OUTBOUND_MAX_ATTEMPTS,
      },
    },
    mobileId: {
      issuer: publicUrl,
      walletUrl: (
        e.GONGJIK_MID_WALLET_URL ?? `${url.protocol}//${url.hostname}:${e.GONGJIK_WALLET_PORT || 8081}`
      ).replace(/\/+$/, ''),
      walletPort: e.GONGJIK_WALLET_PORT,
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
    support: { helpDeskPhone: e.GONGJIK_HELP_DESK_PHONE },
  };
  if ((config.smtp.tlsKeyFile === undefined) !== (config.smtp.tlsCertFile === undefined)) {
    throw new GongjikError('ERR_SERVER_CONFIG_INVALID', {
      field: 'GONGJIK_SMTP_TLS_KEY',
      problem: 'set both GONGJIK_SMTP_TLS_KEY and GONGJIK_SMTP_TLS_CERT, or neither',
    });
  }
  return deepFreeze(config);
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
