import { GongjikError } from '@gongjik/errors';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Parses a time option: an ISO 8601 date or date-time (`2027-01-31`, `2027-01-31T09:00:00+09:00`), or
 * an offset from `now` (`+30d`, `-1h`, `+2y`, `+90m`). Throws ERR_CLI_USAGE otherwise.
 */
export function parseTimeOption(name: string, value: string, now: Date): Date {
  const rel = /^([+-])(\d{1,6})([mhdy])$/.exec(value.trim());
  if (rel) {
    const sign = rel[1] === '-' ? -1 : 1;
    const n = Number(rel[2]) * sign;
    const unit = rel[3] as 'm' | 'h' | 'd' | 'y';
    if (unit === 'y') {
      const d = new Date(now);
      d.setUTCFullYear(d.getUTCFullYear() + n);
      return d;
    }
    return new Date(now.getTime() + n * UNIT_MS[unit]);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const d = new Date(value.trim());
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new GongjikError('ERR_CLI_USAGE', {
    problem: `--${name} must be an ISO 8601 time (2027-01-31T09:00:00Z) or an offset like +30d, -1h, +2y`,
  });
}
