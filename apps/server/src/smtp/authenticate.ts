// SPF, DKIM, DMARC and ARC verdicts with mailauth, reduced to what we store and show (MailAuthJson).
// The DNS resolver is injectable (mailauth's own `resolver(name, rrtype)` option): production uses
// node:dns with a timeout, tests and offline development a function that answers from a table.
import { promises as dns } from 'node:dns';
import type { Readable } from 'node:stream';
import { authenticate } from 'mailauth';
import type { MailAuthJson } from '../domain/mail/store/types.ts';

export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** node:dns with a per-query timeout (a dead resolver must not hold a message for minutes). */
export function systemResolver(timeoutMs = 5000): DnsResolver {
  const r = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  return (name, rrtype) => r.resolve(name, rrtype) as Promise<unknown>;
}

/**
 * A DNS cache in front of a resolver: SPF, DKIM and DMARC ask the same few names for every message
 * from a sender domain. Answers and "does not exist" (ENOTFOUND, ENODATA) are kept `ttlMs` (default
 * 60 s; node:dns does not report record TTLs, so this is a short fixed bound); other failures
 * (timeouts, SERVFAIL) are not kept. Concurrent identical questions share one lookup. At most
 * `maxEntries` names are kept (the oldest go first).
 */
export function cachingResolver(
  inner: DnsResolver,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): DnsResolver {
  const ttlMs = options.ttlMs ?? 60_000;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { until: number; answer: Promise<unknown> }>();
  return (name, rrtype) => {
    const key = `${rrtype.toUpperCase()} ${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.answer;
    if (hit) cache.delete(key);
    const answer = inner(name, rrtype);
    const entry = { until: now() + ttlMs, answer };
    if (cache.size >= max) cache.delete(cache.keys().next().value!);
    cache.set(key, entry);
    answer.catch((err: NodeJS.ErrnoException) => {
      if (err?.code !== 'ENOTFOUND' && err?.code !== 'ENODATA' && cache.get(key) === entry) cache.delete(key);
    });
    return answer;
  };
}

/** A resolver that knows nothing (every name is NXDOMAIN): offline development and tests. */
export const emptyResolver: DnsResolver = async (name) => {
  const err = new Error(`queryTxt ENOTFOUND ${name}`) as NodeJS.ErrnoException;
  err.code = 'ENOTFOUND';
  throw err;
};

/** A resolver answering from a table `{ "TXT selector._domainkey.example.kr": [["v=DKIM1; …"]] }`. */
export function tableResolver(table: Readonly<Record<string, unknown>>): DnsResolver {
  return async (name, rrtype) => {
    const key = `${rrtype.toUpperCase()} ${name.toLowerCase()}`;
    if (Object.hasOwn(table, key)) return table[key];
    return emptyResolver(name, rrtype);
  };
}

export interface AuthInput {
  readonly message: Readable | Buffer;
  readonly ip: string;
  readonly helo: string;
  readonly mailFrom: string | null;
  /** our host name (authserv-id) */
  readonly mta: string;
  readonly resolver: DnsResolver;
}

const short = (s: unknown, n = 253) => (typeof s === 'string' ? s.slice(0, n) : null);

/** Runs mailauth and keeps the verdicts. Never throws for a bad message: failures are verdicts. */
export async function verifyMessage(input: AuthInput): Promise<MailAuthJson> {
  const r = await authenticate(input.message, {
    ip: input.ip,
    helo: input.helo,
    sender: input.mailFrom ?? '',
    mta: input.mta,
    resolver: input.resolver as never,
    disableBimi: true,
  });
  const spf = r.spf || null;
  const dmarc = r.dmarc || null;
  const arc = r.arc || null;
  return {
    spf: { result: short(spf?.status?.result, 20) ?? 'none', domain: short(spf?.domain) },
    dkim: (r.dkim?.results ?? []).slice(0, 10).map((d) => ({
      result: short(d.status?.result, 20) ?? 'none',
      domain: short(d.signingDomain),
      selector: short(d.selector, 63),
      aligned: Boolean(d.status?.aligned),
    })),
    dmarc: {
      result: short(dmarc?.status?.result, 20) ?? 'none',
      policy: short((dmarc as { policy?: string } | null)?.policy, 20),
      domain: short(dmarc?.domain),
    },
    arc: { result: short(arc?.status?.result, 20) ?? 'none' },
    header: authResultsValue(r.headers ?? ''),
  };
}

function authResultsValue(headers: string): string {
  const i = headers.search(/^Authentication-Results:/im);
  if (i < 0) return '';
  return headers
    .slice(i + 'Authentication-Results:'.length)
    .replace(/\r?\n(?![ \t])[\s\S]*$/, '')
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
    .slice(0, 4000);
}
