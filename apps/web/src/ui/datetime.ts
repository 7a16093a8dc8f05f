import type { Lang } from '../i18n/format.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as officials read it, in Korea time: `2026. 3. 2. 오전 10:00` / `2 Mar 2026, 10:00`. */
export function formatDateTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Seoul',
    });
    formats.set(lang, format);
  }
  return format.format(date);
}

/** `YYYY-MM-DD` (a Korean calendar day) → the instant it starts, `YYYY-MM-DDT00:00:00+09:00`. */
export function koreanDayStart(day: string): string {
  return `${day}T00:00:00+09:00`;
}

/** The instant the Korean calendar day after `day` starts (an exclusive upper bound). */
export function koreanDayEnd(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return koreanDayStart(next.toISOString().slice(0, 10));
}

/** Today's date in Korea, `YYYY-MM-DD`. */
export function koreanToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}
