// The gate QR is replaced by the clock, not by counting timer ticks (phones throttle timers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GATE_PROOF_MAX_AGE_SECONDS } from '@gongjik/mobile-id';
import { GATE_REFRESH_SECONDS, gateQrClock } from '../src/qr/gate-clock.ts';

test('a QR is replaced before gates stop accepting its proof', () => {
  assert.ok(GATE_REFRESH_SECONDS + 5 <= GATE_PROOF_MAX_AGE_SECONDS, 'shown QRs stay valid with 5 s to scan');
  const t0 = 1_000_000;
  assert.deepEqual(gateQrClock(t0, t0), { refresh: false, secondsLeft: 20 });
  assert.deepEqual(gateQrClock(t0, t0 + 19_500), { refresh: false, secondsLeft: 1 });
  assert.equal(gateQrClock(t0, t0 + 20_000).refresh, true);
});

test('after the phone slept (timers throttled for minutes) the next tick replaces the QR at once', () => {
  assert.equal(gateQrClock(0, 10 * 60_000).refresh, true);
});

test('a clock set backwards replaces the QR too', () => {
  assert.equal(gateQrClock(50_000, 10_000).refresh, true);
});
