// Dates and times as the holder reads them: 2025.11.22 and 14:03 in Korean, 2025-11-22 in English.
import type { Lang } from '../i18n/format.ts';

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(ms: number, lang: Lang): string {
  const d = new Date(ms);
  const parts = [d.getFullYear(), pad(d.getMonth() + 1), pad(d.getDate())];
  return lang === 'ko' ? parts.join('.') : parts.join('-');
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The time alone when it is today, else date and time. */
export function formatWhen(ms: number, lang: Lang, now: number = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return sameDay ? formatTime(ms) : `${formatDate(ms, lang)} ${formatTime(ms)}`;
}
