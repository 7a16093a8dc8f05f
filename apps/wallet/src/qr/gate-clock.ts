/** A new gate QR this often (a proof is accepted for 30 s after it was made). */
export const GATE_REFRESH_SECONDS = 20;

/** Whether the QR made at `madeAtMs` must be replaced now, and the seconds left on the countdown. */
export function gateQrClock(madeAtMs: number, nowMs: number): { refresh: boolean; secondsLeft: number } {
  const age = (nowMs - madeAtMs) / 1000;
  // A clock set backwards also replaces it (its proof's iat would be in the future).
  if (age >= GATE_REFRESH_SECONDS || age < 0) return { refresh: true, secondsLeft: 0 };
  return { refresh: false, secondsLeft: Math.max(1, Math.ceil(GATE_REFRESH_SECONDS - age)) };
}
