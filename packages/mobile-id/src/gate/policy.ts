import { fail } from '../util/fail.ts';

/**
 * A gate's zone policy (decided after the credential, the device proof, the replay cache and the
 * status list have passed). A holder may enter when at least one rule names their agency (or `*`),
 * the gate's building (or `*`), today's weekday and a time of day in [from, to) in `timeZone`.
 * The most specific refusal is reported: no rule for the agency → ERR_GATE_AGENCY_NOT_ALLOWED;
 * rules for the agency but none for this building → ERR_GATE_BUILDING_NOT_ALLOWED; rules for both
 * but not now → ERR_GATE_OUTSIDE_HOURS.
 */
export interface GatePolicy {
  /** IANA time zone of the time windows (Korea: `Asia/Seoul`). */
  timeZone: string;
  rules: GateRule[];
}

export interface GateRule {
  /** Agency codes (기관코드), or `['*']` for every agency. */
  agencies: string[];
  /** Building codes, or `['*']` for every building. */
  buildings: string[];
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** `HH:MM` (00:00–23:59); the window is [from, to); `to` may be `24:00`; from > to spans midnight. */
  from: string;
  to: string;
}

export const MAX_GATE_RULES = 64;
const MAX_CODES = 256;
const CODE = /^[A-Za-z0-9._\-/]{1,64}$/;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const bad = (problem: string): never => fail('ERR_GATE_POLICY_INVALID', { problem });

function minutes(value: unknown, field: string, allow24: boolean): number {
  if (allow24 && value === '24:00') return 1440;
  const m = typeof value === 'string' ? HHMM.exec(value) : null;
  if (!m) return bad(`${field} must be HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function codes(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CODES) {
    return bad(`${field} must list 1–${MAX_CODES} codes`);
  }
  for (const v of value) if (typeof v !== 'string' || (v !== '*' && !CODE.test(v))) bad(`${field}: bad code`);
  return [...new Set(value as string[])];
}

function validTimeZone(tz: unknown): string {
  if (typeof tz !== 'string' || tz.length > 64) return bad('timeZone');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    bad('timeZone');
  }
  return tz;
}

/** Checks and normalises an untrusted policy (admin input, cached bundle). Throws ERR_GATE_POLICY_INVALID. */
export function parseGatePolicy(input: unknown): GatePolicy {
  if (typeof input !== 'object' || input === null) return bad('not an object');
  const { timeZone, rules } = input as Record<string, unknown>;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > MAX_GATE_RULES) {
    return bad(`rules must hold 1–${MAX_GATE_RULES} rules`);
  }
  return {
    timeZone: validTimeZone(timeZone ?? 'Asia/Seoul'),
    rules: rules.map((r, i) => {
      if (typeof r !== 'object' || r === null) return bad(`rules[${i}]`);
      const rule = r as Record<string, unknown>;
      const days = rule.days ?? [1, 2, 3, 4, 5, 6, 7];
      if (
        !Array.isArray(days) ||
        days.length === 0 ||
        days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)
      ) {
        bad(`rules[${i}].days must be 1 (Mon) … 7 (Sun)`);
      }
      const from = (rule.from as string | undefined) ?? '00:00';
      const to = (rule.to as string | undefined) ?? '24:00';
      if (minutes(from, `rules[${i}].from`, false) === minutes(to, `rules[${i}].to`, true)) {
        bad(`rules[${i}]: empty time window`);
      }
      return {
        agencies: codes(rule.agencies, `rules[${i}].agencies`),
        buildings: codes(rule.buildings ?? ['*'], `rules[${i}].buildings`),
        days: [...new Set(days as number[])].sort(),
        from,
        to,
      };
    }),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** ISO weekday and minute of the day of `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(now)) {
    if (p.type === 'weekday') day = WEEKDAY[p.value] ?? 0;
    else if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return { day, minute: hour * 60 + minute };
}

function inWindow(rule: GateRule, t: { day: number; minute: number }): boolean {
  const from = minutes(rule.from, 'from', false);
  const to = minutes(rule.to, 'to', true);
  if (from < to) return rule.days.includes(t.day) && t.minute >= from && t.minute < to;
  // Spans midnight: the part after midnight belongs to the previous day's window.
  if (t.minute >= from) return rule.days.includes(t.day);
  const yesterday = t.day === 1 ? 7 : t.day - 1;
  return t.minute < to && rule.days.includes(yesterday);
}

const names = (list: string[], value: string) => list.includes('*') || list.includes(value);

/** Applies the zone policy; returns normally when the holder may enter, throws ERR_GATE_* otherwise. */
export function applyGatePolicy(
  policy: GatePolicy,
  input: { agencyCode: string; building: string; now: Date },
): void {
  const forAgency = policy.rules.filter((r) => names(r.agencies, input.agencyCode));
  if (forAgency.length === 0) fail('ERR_GATE_AGENCY_NOT_ALLOWED', { agency: input.agencyCode });
  const here = forAgency.filter((r) => names(r.buildings, input.building));
  if (here.length === 0) {
    fail('ERR_GATE_BUILDING_NOT_ALLOWED', { agency: input.agencyCode, building: input.building });
  }
  const t = localTime(input.now, policy.timeZone);
  if (!here.some((r) => inWindow(r, t))) fail('ERR_GATE_OUTSIDE_HOURS');
}
