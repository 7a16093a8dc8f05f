/** Korea has one time zone (UTC+9) and no daylight saving time. */
const KST_OFFSET_MS = 9 * 3_600_000;

/** The calendar date in Korea at `now`, as `YYYY-MM-DD`. */
export function koreanDate(now: Date): string {
  return new Date(now.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
