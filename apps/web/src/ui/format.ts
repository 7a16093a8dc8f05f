import type { Lang } from '../i18n/format.ts';

const formats = new Map<Lang, Intl.DateTimeFormat>();

/** A calendar date as officials read it (Korea time): `2027. 1. 1.` / `1 Jan 2027`. */
export function formatDate(date: Date, lang: Lang): string {
  let format = formats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      dateStyle: 'medium',
      timeZone: 'Asia/Seoul',
    });
    formats.set(lang, format);
  }
  return format.format(date);
}
