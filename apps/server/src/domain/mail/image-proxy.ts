/**
 * The remote-image proxy: when a reader asks to see the images of a message, their URLs are
 * rewritten to `/api/v1/proxy/image?url=…` and fetched here, never by the browser (no tracking of
 * the reader's address, no mixed content, no request to the intranet from the reader's machine).
 *
 * The proxy resolves the host name itself, refuses unless EVERY address is public
 * (`assertPublicAddress`), and connects to that address (the socket's lookup returns it: no second
 * resolution between check and connect, no DNS rebinding). Redirects are followed by hand, at most
 * three, each one checked the same way. Only raster images, at most `maxBytes`, within `timeoutMs`.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Transform } from 'node:stream';
import { GongjikError } from '@gongjik/errors';
import { assertPublicAddress, parsePublicHttpUrl } from './remote-url.ts';

export type Lookup = (host: string) => Promise<readonly LookupAddress[]>;

export interface ImageProxyOptions {
  /** resolves a host to all its addresses (default: node:dns lookup with all: true) */
  readonly lookup?: Lookup;
  /** refuses an address (default `assertPublicAddress`); tests may narrow it, never widen it in production */
  readonly assertAddress?: (ip: string) => void;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  /** tests only: connect to this port instead of the URL's (the loopback test server's) */
  readonly connectPort?: number;
}

export interface ProxiedImage {
  readonly contentType: string;
  readonly contentLength: number | null;
  /** the bytes, cut off with an error past maxBytes */
  readonly body: NodeJS.ReadableStream;
}

export const IMAGE_TYPES = new Set([
  'image/png',
  'image/gif',
  'image/jpeg',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
]);

const defaultLookup: Lookup = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

const failed = (reason: string) => new GongjikError('ERR_MAIL_PROXY_FETCH_FAILED', { reason });

/** Every address of the URL's host, each checked; returns the one to connect to. */
async function resolveChecked(url: URL, options: ImageProxyOptions): Promise<LookupAddress> {
  const assertAddress = options.assertAddress ?? assertPublicAddress;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host)) {
    assertAddress(host);
    return { address: host, family: isIP(host) };
  }
  let addresses: readonly LookupAddress[];
  try {
    addresses = await (options.lookup ?? defaultLookup)(host);
  } catch {
    throw failed('dns');
  }
  if (addresses.length === 0) throw failed('dns');
  for (const a of addresses) assertAddress(a.address);
  return addresses[0]!;
}

function request(
  url: URL,
  pinned: LookupAddress,
  timeoutMs: number,
  port: number | undefined,
): Promise<IncomingMessage> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method: 'GET',
        ...(port ? { port } : {}),
        headers: { accept: 'image/*', 'user-agent': 'Gongjik-ImageProxy/1' },
        // Connect to the address we checked, whatever the name resolves to now.
        lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
          if (opts?.all) cb(null, [pinned]);
          else cb(null, pinned.address, pinned.family);
        }) as never,
        timeout: timeoutMs,
        agent: false,
      },
      resolve,
    );
    req.on('timeout', () => req.destroy(failed('timeout')));
    req.on('error', (err) => reject(err instanceof GongjikError ? err : failed('connect')));
    req.end();
  });
}

/** Fetches a remote image for the reader, or throws ERR_MAIL_REMOTE_ADDRESS_REFUSED / ERR_MAIL_PROXY_FETCH_FAILED. */
export async function fetchRemoteImage(
  rawUrl: string,
  options: ImageProxyOptions = {},
): Promise<ProxiedImage> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  const deadline = Date.now() + timeoutMs;
  let current = rawUrl;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const url = parsePublicHttpUrl(current);
    if (!url) throw new GongjikError('ERR_MAIL_REMOTE_ADDRESS_REFUSED');
    const pinned = await resolveChecked(url, options);
    const res = await request(url, pinned, Math.max(1, deadline - Date.now()), options.connectPort);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      try {
        current = new URL(res.headers.location, url).toString();
      } catch {
        throw failed('redirect');
      }
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw failed(`status ${status}`);
    }
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!IMAGE_TYPES.has(type)) {
      res.destroy();
      throw failed('not an image');
    }
    const declared = res.headers['content-length'] ? Number(res.headers['content-length']) : null;
    if (declared !== null && (!Number.isFinite(declared) || declared > maxBytes)) {
      res.destroy();
      throw failed('too large');
    }
    let seen = 0;
    const timer = setTimeout(() => res.destroy(failed('timeout')), Math.max(1, deadline - Date.now()));
    timer.unref();
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > maxBytes) return done(failed('too large'));
        done(null, chunk);
      },
      flush(done) {
        clearTimeout(timer);
        done();
      },
    });
    res.on('error', (err) => limiter.destroy(err));
    return { contentType: type, contentLength: declared, body: res.pipe(limiter) };
  }
  throw failed('too many redirects');
}
