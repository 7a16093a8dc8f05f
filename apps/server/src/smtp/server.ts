// Inbound SMTP (port 25 in production, GONGJIK_SMTP_PORT): a thin adapter over smtp-server. It
// accepts mail only for local domains and active accounts (never relays), bounds sizes, rates and
// recipients, refuses bare CR/LF in DATA, streams the message into a blob while parsing it, checks
// SPF/DKIM/DMARC/ARC, stores it for every recipient in one transaction, and only then answers 250.
// Any temporary trouble (database down, disk error) answers 4xx: the sender keeps the message.
import type { AddressInfo } from 'node:net';
import { type ErrorCode, GongjikError, smtpReplyOf } from '@gongjik/errors';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import type { Db } from '../domain/db.ts';
import type { BlobStore } from '../domain/mail/blobs/blob-store.ts';
import { DeliveryBatcher } from '../domain/mail/store/batcher.ts';
import { LocalDomains, RecipientLookup } from '../domain/mail/store/recipients.ts';
import { type DnsResolver, verifyMessage } from './authenticate.ts';
import { IpLimits } from './limits.ts';
import { LineEndingCheck } from './line-endings.ts';
import { createMessageParser } from './parse.ts';

export interface SmtpSettings {
  readonly port: number;
  readonly host: string;
  /** our host name: greeting, Received, authserv-id */
  readonly hostname: string;
  readonly maxMessageBytes: number;
  readonly maxRecipients: number;
  readonly maxConnectionsPerIp: number;
  readonly messagesPerMinutePerIp: number;
  /** the server's own mail domain (agencies may add theirs) */
  readonly mailDomain: string;
  /** quota of mailboxes created on first delivery */
  readonly defaultQuotaBytes: number;
  /** SO_REUSEPORT (Linux): several processes listen on one port and the kernel spreads connections */
  readonly reusePort?: boolean;
}

export interface SmtpDeps {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly settings: SmtpSettings;
  readonly tls: { readonly key: string; readonly cert: string } | null;
  readonly resolver: DnsResolver;
  readonly now: () => Date;
  readonly log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** group commit: most messages per delivery transaction (default 64; 1 turns batching off) */
  readonly maxBatch?: number;
}

/** Messages up to this size are kept in memory for mailauth instead of being read back from the blob. */
const AUTH_IN_MEMORY_BYTES = 512 * 1024;

export interface RunningSmtp {
  readonly server: SMTPServer;
  readonly port: number;
  close(): Promise<void>;
}

type SmtpReplyError = Error & { responseCode: number };

/** The SMTP reply for a GongjikError (`smtpReplyOf` from the registry), as smtp-server wants it. */
export function smtpError(code: ErrorCode, details: Record<string, string | number> = {}): SmtpReplyError {
  const reply = smtpReplyOf(code); // e.g. "552 5.2.2"
  const [status, enhanced] = reply.split(' ');
  const e = new Error(`${enhanced} ${new GongjikError(code, details).message}`) as SmtpReplyError;
  e.responseCode = Number(status);
  return e;
}

function toReply(err: unknown): SmtpReplyError {
  if (err instanceof GongjikError) return smtpError(err.code, err.details as Record<string, string | number>);
  return smtpError('ERR_SMTP_TEMPORARY');
}

const safeToken = (s: string | undefined, n = 100) =>
  (s ?? '').replace(/[^A-Za-z0-9.:\-[\]_]/g, '').slice(0, n) || 'unknown';

function receivedHeader(session: SMTPServerSession, hostname: string, now: Date, rcpts: string[]): Buffer {
  const date = now.toUTCString().replace('GMT', '+0000');
  const proto = session.secure ? 'ESMTPS' : 'ESMTP';
  const forPart = rcpts.length === 1 ? `\r\n\tfor <${rcpts[0]}>` : '';
  return Buffer.from(
    `Received: from ${safeToken(session.hostNameAppearsAs)} ([${safeToken(session.remoteAddress)}])\r\n` +
      `\tby ${hostname} (Gongjik) with ${proto} id ${safeToken(session.id)}${forPart};\r\n\t${date}\r\n`,
    'latin1',
  );
}

/**
 * What mailauth needs to read of a message in memory: without a DKIM-Signature or an ARC set the
 * body decides no verdict (SPF and DMARC need the envelope and From), so only the header goes in,
 * and the body is not parsed a second time (MailParser already read it).
 */
export function authInput(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return raw;
  const head = raw.subarray(0, end + 4);
  return /^(?:dkim-signature|arc-[a-z-]+)[ \t]*:/im.test(head.toString('latin1')) ? raw : head;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export function createSmtpServer(deps: SmtpDeps): { server: SMTPServer; listen(): Promise<RunningSmtp> } {
  const { settings, db, blobs } = deps;
  const limits = new IpLimits({
    maxConnectionsPerIp: settings.maxConnectionsPerIp,
    messagesPerMinutePerIp: settings.messagesPerMinutePerIp,
  });
  // Per SMTP transaction: the account of each accepted RCPT TO.
  const recipients = new Map<string, Map<string, string>>();
  const counted = new Set<string>();
  const localDomains = new LocalDomains(db, settings.mailDomain);
  const lookup = new RecipientLookup(db);
  const batcher = new DeliveryBatcher(db, { maxBatch: deps.maxBatch ?? 64 });

  const server = new SMTPServer({
    name: settings.hostname,
    banner: 'Gongjik ESMTP',
    size: settings.maxMessageBytes,
    authOptional: true,
    disabledCommands: deps.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(deps.tls ? { key: deps.tls.key, cert: deps.tls.cert } : {}),
    logger: false,
    // The client must wait for our greeting (an early talker is refused), and idle sockets end.
    socketTimeout: 60_000,
    closeTimeout: 5_000,

    onConnect(session, cb) {
      if (!limits.openConnection(session.remoteAddress))
        return cb(smtpError('ERR_SMTP_TOO_MANY_CONNECTIONS'));
      counted.add(session.id);
      cb();
    },

    onClose(session) {
      if (counted.delete(session.id)) limits.closeConnection(session.remoteAddress);
      recipients.delete(session.id);
    },

    onMailFrom(_address, session, cb) {
      recipients.set(session.id, new Map());
      if (!limits.takeMessage(session.remoteAddress)) return cb(smtpError('ERR_SMTP_RATE_LIMITED'));
      cb();
    },

    onRcptTo(address: SMTPServerAddress, session, cb) {
      const run = async () => {
        const rcpts = recipients.get(session.id) ?? new Map<string, string>();
        recipients.set(session.id, rcpts);
        const addr = address.address.toLowerCase();
        if (addr.length > 254 || !/^[^@\s]{1,64}@[^@\s]{1,253}$/.test(addr))
          throw new GongjikError('ERR_SMTP_RECIPIENT_UNKNOWN');
        if (rcpts.size >= settings.maxRecipients)
          throw new GongjikError('ERR_MAIL_TOO_MANY_RECIPIENTS', { max: settings.maxRecipients });
        if (!(await localDomains.has(domainOf(addr)))) throw new GongjikError('ERR_SMTP_RELAY_DENIED');
        const account = await lookup.find(addr);
        if (!account) throw new GongjikError('ERR_SMTP_RECIPIENT_UNKNOWN');
        const { quota } = account;
        if (quota && quota.usedBytes >= quota.quotaBytes)
          throw new GongjikError('ERR_MAIL_QUOTA_EXCEEDED', {
            quotaMb: Math.floor(quota.quotaBytes / 1048576),
          });
        rcpts.set(addr, account.accountId);
      };
      run().then(
        () => cb(),
        (err) => {
          if (!(err instanceof GongjikError)) deps.log?.error({ err }, 'smtp: recipient check failed');
          cb(toReply(err));
        },
      );
    },

    onData(stream: SMTPServerDataStream, session, cb) {
      receive(stream, session).then(
        (id) => cb(null, `2.0.0 OK queued as ${id}`),
        (err) => {
          if (!(err instanceof GongjikError))
            deps.log?.error({ err }, 'smtp: message not accepted (temporary)');
          cb(toReply(err));
        },
      );
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const rcpts = recipients.get(session.id) ?? new Map<string, string>();
    const now = deps.now();
    const max = settings.maxMessageBytes;
    const trace = receivedHeader(session, settings.hostname, now, [...rcpts.keys()]);
    const raw = blobs.createWriter({ maxBytes: max + trace.length });
    const parser = createMessageParser(blobs, { maxBytes: max });
    const check = new LineEndingCheck();
    // Small messages stay in memory for mailauth (no second read from disk); large ones are streamed.
    let kept: Buffer[] | null = [trace];
    let size = 0;
    let refusal: GongjikError | null = null;
    let failure: unknown = null;
    try {
      await raw.write(trace);
      await parser.write(trace);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (refusal || failure) continue; // keep reading: the client is still sending
        size += chunk.length;
        if (size > max) refusal = new GongjikError('ERR_MAIL_MESSAGE_TOO_LARGE', { maxBytes: max });
        else if (!check.update(chunk)) refusal = new GongjikError('ERR_SMTP_BARE_LINE_ENDING');
        if (refusal) continue;
        if (kept && size + trace.length <= AUTH_IN_MEMORY_BYTES) kept.push(chunk);
        else kept = null;
        try {
          await raw.write(chunk);
          await parser.write(chunk);
        } catch (err) {
          failure = err;
        }
      }
      if (!refusal && !failure && !check.end()) refusal = new GongjikError('ERR_SMTP_BARE_LINE_ENDING');
      if (refusal || failure) throw refusal ?? failure;
      const [blob, parsed] = await Promise.all([raw.finish(), parser.finish()]);
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
      const auth = await verifyMessage({
        message: kept ? authInput(Buffer.concat(kept)) : await blobs.open(blob.sha256),
        ip: session.remoteAddress,
        helo: session.hostNameAppearsAs,
        mailFrom,
        mta: settings.hostname,
        resolver: deps.resolver,
      });
      const fromDomain = parsed.from ? domainOf(parsed.from.address) : '';
      const fromLocal = fromDomain !== '' && (await localDomains.has(fromDomain));
      const authentic =
        auth.dmarc.result === 'pass' ||
        (auth.spf.result === 'pass' && auth.dkim.some((d) => d.result === 'pass'));
      const result = await batcher.store({
        blob,
        parsed,
        recipients: [...new Set(rcpts.values())],
        auth,
        external: !(fromLocal && authentic),
        envelope: {
          mailFrom,
          rcptTo: [...rcpts.keys()],
          remoteAddress: session.remoteAddress,
          helo: safeToken(session.hostNameAppearsAs, 255),
          tls: Boolean(session.secure),
        },
        now,
        defaultQuotaBytes: settings.defaultQuotaBytes,
      });
      return result.messageId;
    } catch (err) {
      await raw.abort().catch(() => {});
      parser.abort();
      throw err;
    }
  }

  return {
    server,
    listen() {
      return new Promise<RunningSmtp>((resolve, reject) => {
        server.once('error', reject);
        server.listen(
          { port: settings.port, host: settings.host, reusePort: settings.reusePort ?? false },
          () => {
            server.off('error', reject);
            server.on('error', (err) => deps.log?.warn({ err }, 'smtp: server error'));
            const port = (server.server.address() as AddressInfo).port;
            resolve({
              server,
              port,
              close: () => new Promise<void>((r) => server.close(() => r())),
            });
          },
        );
      });
    },
  };
}
