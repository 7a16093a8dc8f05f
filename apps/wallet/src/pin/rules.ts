// The PIN the holder chooses: exactly six digits, and not one a thief would try first.
// The server checks the PIN (and counts failures); these rules only stop weak choices at set-up.
import { isTrivialPin } from '@gongjik/mobile-id';

export const PIN_LENGTH = 6;

/** Why a PIN is refused (a catalog key suffix: `pin.weak.<reason>`), or null when it is acceptable. */
export type PinProblem = 'length' | 'digits' | 'repeated' | 'sequence' | 'pairs' | 'date' | 'common';

/**
 * Checks a new PIN. Refused: not six ASCII digits; one digit repeated (000000); a run up or down,
 * also wrapping (123456, 654321, 890123); two digits alternating or a repeated half (121212, 123123);
 * and a date of birth shaped YYMMDD or MMDD.. (e.g. 850315) — the first guess of anyone holding a
 * stolen phone with an ID card in the same wallet.
 */
export function pinProblem(pin: string): PinProblem | null {
  if (pin.length !== PIN_LENGTH) return /^[0-9]*$/.test(pin) ? 'length' : 'digits';
  if (!/^[0-9]{6}$/.test(pin)) return 'digits';
  const d = [...pin].map(Number);
  if (d.every((x) => x === d[0])) return 'repeated';
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  if (pin.slice(0, 2).repeat(3) === pin || pin.slice(0, 3).repeat(2) === pin) return 'pairs';
  if (looksLikeDate(d)) return 'date';
  // Whatever else the issuer refuses (ERR_MID_PIN_TRIVIAL), refused here first.
  if (isTrivialPin(pin)) return 'common';
  return null;
}

function validMonthDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** YYMMDD with a plausible birth year (1940s–2000s), or MMDDYY. */
function looksLikeDate(d: number[]): boolean {
  const n = (i: number) => d[i]! * 10 + d[i + 1]!;
  const birthYear = (yy: number) => yy >= 40 || yy <= 9;
  if (birthYear(n(0)) && validMonthDay(n(2), n(4))) return true;
  return validMonthDay(n(0), n(2)) && birthYear(n(4));
}

/** The second entry must repeat the first. */
export function pinsMatch(first: string, second: string): boolean {
  return first.length === second.length && first === second;
}
