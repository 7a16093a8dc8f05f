// Pure formatting helpers of the webmail (sizes, addresses, list dates).
import type { Lang } from '../../i18n/format.ts';
import type { Address } from './api.ts';

/** 1.5 MB / 320 KB / 12 B (1 KB = 1024 B, as mail quotas are counted). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown =
    unit === 0 || value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}

/** `홍길동 <hong@korea.kr>`, or the address alone when there is no name. */
export function formatAddress(a: Address): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The name to show in a list row (the address when the name is empty). */
export function displayName(a: Address | null): string | null {
  if (!a) return null;
  return a.name || a.address;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: Lang, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${lang}:${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', ...options });
    cache.set(k, f);
  }
  return f;
}

/** A list date (Korea time): the time for today's mail, the day otherwise (`오후 3:05`, `11. 20.`, `2025. 11. 20.`). */
export function formatListDate(iso: string, lang: Lang, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = (x: Date) => new Date(x.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  if (day(d) === day(now)) return fmt(lang, 'time', { timeStyle: 'short' }).format(d);
  if (day(d).slice(0, 4) === day(now).slice(0, 4))
    return fmt(lang, 'md', { month: 'short', day: 'numeric' }).format(d);
  return fmt(lang, 'ymd', { dateStyle: 'medium' }).format(d);
}

/** A header date in full (Korea time): `2026년 11월 22일 일요일 오후 3:05`. */
export function formatFullDate(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(lang, 'full', { dateStyle: 'full', timeStyle: 'short' }).format(d);
}
