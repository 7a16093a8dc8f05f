/**
 * Delivery of one outbound job over SMTP with nodemailer's SMTP transport.
 *
 * - Where to: the configured smarthost, else the domain's MX hosts by preference (`resolveMx`,
 *   injectable), else the domain itself (RFC 5321 §5.1 implicit MX). A null MX (RFC 7505) or a
 *   domain that does not exist is a permanent failure.
 * - STARTTLS is opportunistic (RFC 7435): used when offered, certificate not verified (as MTAs do
 *   for MX hosts without DANE/MTA-STS); a failed TLS handshake is retried once in plain text.
 * - DKIM: signed with the From domain's key (relaxed/relaxed, rsa-sha256) by nodemailer's signer.
 * - Results per recipient: accepted, refused with a 5xx (permanent) or 4xx (temporary). A
 *   connection failure moves on to the next MX host; when none answers, every recipient is a
 *   temporary failure for the queue to retry.
 */
import { promises as dnsPromises, type MxRecord } from 'node:dns';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { DkimKey } from './dkim.ts';
import { dkimSignOptions } from './dkim.ts';
import type { Deliverer, DeliveryJob, DeliveryRefusal, DeliveryResult } from './outbound.ts';

export interface SmtpDelivererOptions {
  /** our name in EHLO */
  readonly heloName: string;
  /** deliver everything through this host instead of MX lookup */
  readonly smarthost?: { readonly host: string; readonly port: number } | null;
  /** the port of MX hosts: 25 (other values only for tests and development) */
  readonly port?: number;
  readonly resolveMx?: (domain: string) => Promise<MxRecord[]>;
  /** the DKIM key of the sender's domain, or null to send unsigned */
  readonly dkimKey?: (domain: string) => Promise<DkimKey | null>;
  readonly connectionTimeoutMs?: number;
  readonly greetingTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
  /** MX hosts tried per attempt */
  readonly maxHosts?: number;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  rejectedErrors?: SmtpError[];
  recipient?: string;
}

interface SendInfo {
  accepted?: (string | { address: string })[];
  rejected?: (string | { address: string })[];
  rejectedErrors?: SmtpError[];
  response?: string;
}

const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'EHOSTUNREACH',
]);

const oneLine = (s: string | undefined | null) =>
  (s ?? '')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 500);

const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

type Route = { host: string; port: number; name: string };

/** The hosts to try for a domain, best first; or a permanent refusal. */
async function routesFor(
  domain: string,
  options: SmtpDelivererOptions,
): Promise<{ routes: Route[] } | { permanent: boolean; reason: string }> {
  if (options.smarthost) {
    return { routes: [{ ...options.smarthost, name: options.smarthost.host }] };
  }
  const port = options.port ?? 25;
  const resolveMx = options.resolveMx ?? ((d: string) => dnsPromises.resolveMx(d));
  let mx: MxRecord[];
  try {
    mx = await resolveMx(domain);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOTFOUND') return { permanent: true, reason: '550 5.1.2 recipient domain does not exist' };
    if (code === 'ENODATA') return { routes: [{ host: domain, port, name: domain }] };
    return { permanent: false, reason: `451 4.4.3 DNS lookup of ${domain} failed (${code ?? 'error'})` };
  }
  if (mx.length === 0) return { routes: [{ host: domain, port, name: domain }] };
  if (mx.some((r) => r.exchange === '' || r.exchange === '.')) {
    return { permanent: true, reason: '556 5.1.10 recipient domain does not accept mail (null MX)' };
  }
  const sorted = [...mx].sort((a, b) => a.priority - b.priority);
  return {
    routes: sorted
      .slice(0, options.maxHosts ?? 5)
      .map((r) => ({ host: r.exchange.replace(/\.$/, ''), port, name: r.exchange.replace(/\.$/, '') })),
  };
}

async function sendOnce(
  route: Route,
  job: DeliveryJob,
  options: SmtpDelivererOptions,
  dkim: DkimKey | null,
  useTls: boolean,
): Promise<SendInfo> {
  const transport = nodemailer.createTransport({
    host: route.host,
    port: route.port,
    secure: false,
    ignoreTLS: !useTls,
    requireTLS: false,
    name: options.heloName,
    tls: { rejectUnauthorized: false, ...(isIP(route.name) ? {} : { servername: route.name }) },
    connectionTimeout: options.connectionTimeoutMs ?? 60_000,
    greetingTimeout: options.greetingTimeoutMs ?? 60_000,
    socketTimeout: options.socketTimeoutMs ?? 300_000,
    logger: false,
    ...(dkim ? { dkim: dkimSignOptions(dkim) } : {}),
  });
  try {
    return (await transport.sendMail({
      envelope: { from: job.mailFrom, to: [...job.recipients] },
      raw: job.openRaw(),
    })) as SendInfo;
  } finally {
    transport.close();
  }
}

function fromInfo(job: DeliveryJob, info: SendInfo, route: Route): DeliveryResult {
  const accepted = (info.accepted ?? []).map(addr);
  const acceptedKeys = new Set(accepted.map((a) => a.toLowerCase()));
  const refused: DeliveryRefusal[] = [];
  const errors = info.rejectedErrors ?? [];
  for (const address of job.recipients) {
    if (acceptedKeys.has(address.toLowerCase())) continue;
    const e = errors.find((x) => x.recipient?.toLowerCase() === address.toLowerCase());
    refused.push({
      address,
      permanent: (e?.responseCode ?? 0) >= 500,
      reply: oneLine(e?.response ?? 'recipient refused'),
      remoteMta: route.name,
    });
  }
  return { accepted, refused };
}

function fromError(job: DeliveryJob, err: SmtpError, route: Route | null): DeliveryResult {
  const perRecipient = err.rejectedErrors ?? [];
  const refused: DeliveryRefusal[] = job.recipients.map((address) => {
    const e = perRecipient.find((x) => x.recipient?.toLowerCase() === address.toLowerCase()) ?? err;
    const code = e.responseCode ?? 0;
    return {
      address,
      permanent: code >= 500,
      reply: oneLine(e.response ?? `${err.code ?? 'error'}: ${err.message}`),
      remoteMta: route?.name ?? null,
    };
  });
  return { accepted: [], refused };
}

const isConnectionFailure = (err: SmtpError) =>
  err.responseCode === undefined && (CONNECTION_CODES.has(err.code ?? '') || err.code === undefined);

/** The SMTP deliverer. */
export function smtpDeliverer(options: SmtpDelivererOptions): Deliverer {
  return {
    async deliver(job) {
      const found = await routesFor(job.domain, options);
      if (!('routes' in found)) {
        return {
          accepted: [],
          refused: job.recipients.map((address) => ({
            address,
            permanent: found.permanent,
            reply: found.reason,
            remoteMta: null,
          })),
        };
      }
      const senderDomain = job.mailFrom.slice(job.mailFrom.lastIndexOf('@') + 1);
      const dkim = options.dkimKey ? await options.dkimKey(senderDomain) : null;
      let last: DeliveryResult | null = null;
      for (const route of found.routes) {
        try {
          return fromInfo(job, await sendOnce(route, job, options, dkim, true), route);
        } catch (e) {
          let err = e as SmtpError;
          if (err.code === 'ETLS') {
            // Opportunistic TLS: the handshake failed, so try once more without STARTTLS.
            try {
              return fromInfo(job, await sendOnce(route, job, options, dkim, false), route);
            } catch (e2) {
              err = e2 as SmtpError;
            }
          }
          last = fromError(job, err, route);
          // A reply from a server is the answer; a host we could not talk to sends us to the next.
          if (!isConnectionFailure(err)) return last;
        }
      }
      return (
        last ?? {
          accepted: [],
          refused: job.recipients.map((address) => ({
            address,
            permanent: false,
            reply: '451 4.4.1 no mail host answered',
            remoteMta: null,
          })),
        }
      );
    },
  };
}
