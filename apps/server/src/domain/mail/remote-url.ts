/**
 * Which remote addresses the image proxy may fetch from.
 *
 * Remote images in mail load only on request, through a server-side proxy (DESIGN.md, Security
 * baseline). A proxy that fetches any URL it is given is a server-side request forgery tool, so:
 * 1. `isPublicHttpUrl(url)` decides, before any network access, whether a URL may be proxied at
 *    all: http/https only, no credentials, port 80/443/8080/8443, and a host that is neither a
 *    private or special IP literal (in any spelling — `0x7f.1`, `2130706433`, `0177.0.0.1` and
 *    `[::ffff:127.0.0.1]` are normalised by the WHATWG URL parser first) nor an internal name
 *    (`localhost`, single-label names, `.local`, `.internal`, `.home.arpa`…);
 * 2. after resolving the name, the proxy calls `assertPublicAddress(ip)` on **every** resolved
 *    address and connects to the checked address itself (no second lookup), so DNS rebinding
 *    cannot swap in a private address between check and use. Redirects go through step 1 again.
 *
 * IPv4 refused: 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12, 192.0.0/24,
 * 192.0.2/24, 192.88.99/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4, 240/4.
 * IPv6: only global unicast 2000::/3 is allowed, minus 2001::/23 (Teredo, ORCHID, benchmarking…),
 * 2001:db8::/32, 2002::/16 (6to4, embeds IPv4) and 3fff::/20 (documentation); so ::, ::1, fc00::/7,
 * fe80::/10, ff00::/8, IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96 and NAT64 64:ff9b::/96 are
 * refused with everything else outside 2000::/3.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { GongjikError } from '@gongjik/errors';

export const MAX_REMOTE_URL_LENGTH = 2048;
const ALLOWED_PORTS = new Set(['', '80', '443', '8080', '8443']);
const INTERNAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.internal',
  '.intranet',
  '.lan',
  '.home.arpa',
  '.corp',
  '.localdomain',
];

type Range = readonly [bytes: readonly number[], prefix: number];

const V4_BLOCKED: readonly Range[] = [
  [[0, 0, 0, 0], 8],
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10],
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16],
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4],
  [[240, 0, 0, 0], 4],
];

const V6_GLOBAL: Range = [[0x20], 3];
const V6_BLOCKED: readonly Range[] = [
  [[0x20, 0x01, 0x00, 0x00], 23],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0x20, 0x02], 16],
  [[0x3f, 0xff, 0x00], 20],
];

function inRange(bytes: readonly number[], [net, prefix]: Range): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** 16 bytes of a valid IPv6 address (as accepted by `net.isIPv6`), dotted-quad tail included. */
function v6Bytes(ip: string): number[] {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = v4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const groups = (s: string | null | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const h = groups(head);
  const r = groups(rest);
  const all = rest === null ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  const bytes = all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * True for an IP address (canonical text form, as `net.isIP` accepts it) that the proxy may
 * connect to. Anything that is not an IP address is false.
 */
export function isPublicAddress(ip: string): boolean {
  if (typeof ip !== 'string') return false;
  if (isIPv4(ip)) {
    const bytes = v4Bytes(ip);
    return !V4_BLOCKED.some((r) => inRange(bytes, r));
  }
  if (isIPv6(ip)) {
    const bytes = v6Bytes(ip);
    return inRange(bytes, V6_GLOBAL) && !V6_BLOCKED.some((r) => inRange(bytes, r));
  }
  return false;
}

/** Throws `ERR_MAIL_REMOTE_ADDRESS_REFUSED` unless `isPublicAddress(ip)`. */
export function assertPublicAddress(ip: string): void {
  if (!isPublicAddress(ip)) throw new GongjikError('ERR_MAIL_REMOTE_ADDRESS_REFUSED');
}

/**
 * Parses a URL the proxy may fetch, or returns null: http/https, no user or password, an allowed
 * port, a public IP literal or a public-looking host name, at most 2,048 characters.
 */
export function parsePublicHttpUrl(url: string): URL | null {
  if (typeof url !== 'string' || url.length > MAX_REMOTE_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (!ALLOWED_PORTS.has(parsed.port)) return null;
  const host = parsed.hostname;
  if (host.startsWith('[')) return isPublicAddress(host.slice(1, -1)) ? parsed : null;
  if (isIPv4(host)) return isPublicAddress(host) ? parsed : null;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.includes('.') || name === 'localhost') return null;
  if (INTERNAL_SUFFIXES.some((s) => name.endsWith(s))) return null;
  // A last label of digits only (a leftover numeric form the URL parser did not take as IPv4).
  if (/^[0-9]+$/.test(name.slice(name.lastIndexOf('.') + 1))) return null;
  return parsed;
}

/** Whether the URL may be handed to the image proxy (see `parsePublicHttpUrl`). */
export function isPublicHttpUrl(url: string): boolean {
  return parsePublicHttpUrl(url) !== null;
}
