// The PIN rules of the wallet's set-up screen: six digits, none of the first guesses of a thief.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pinProblem, pinsMatch } from '../src/pin/rules.ts';

test('accepts six digits without a pattern', () => {
  for (const pin of ['384912', '507263', '918273', '246813']) assert.equal(pinProblem(pin), null, pin);
});

test('refuses a PIN of the wrong length or with non-digits', () => {
  assert.equal(pinProblem('12345'), 'length');
  assert.equal(pinProblem('1234567'), 'length');
  assert.equal(pinProblem(''), 'length');
  assert.equal(pinProblem('12a456'), 'digits');
  assert.equal(pinProblem('１２３４５６'), 'digits', 'full-width digits are not ASCII digits');
});

test('refuses one repeated digit', () => {
  for (const d of '0123456789') assert.equal(pinProblem(d.repeat(6)), 'repeated');
});

test('refuses ascending and descending runs, also wrapping past 9', () => {
  for (const pin of ['123456', '012345', '456789', '654321', '987654', '543210', '890123', '109876'])
    assert.equal(pinProblem(pin), 'sequence', pin);
});

test('refuses repeated pairs and triples', () => {
  for (const pin of ['121212', '909090', '123123', '707707']) assert.equal(pinProblem(pin), 'pairs', pin);
});

test('refuses birthday-like YYMMDD and MMDDYY', () => {
  for (const pin of ['850315', '991231', '010101', '031585', '120599'])
    assert.ok(pinProblem(pin) === 'date' || pinProblem(pin) === 'pairs', pin);
  assert.equal(pinProblem('850315'), 'date');
  assert.equal(pinProblem('031585'), 'date');
  assert.equal(pinProblem('851315'), null, 'month 13 is no date');
  assert.equal(pinProblem('253015'), null, 'no plausible birth year, no month 30');
});

test('refuses the common patterns the issuer refuses too', () => {
  for (const pin of ['112233', '147258', '159753']) assert.equal(pinProblem(pin), 'common', pin);
});

test('the confirmation must repeat the PIN exactly', () => {
  assert.equal(pinsMatch('384912', '384912'), true);
  assert.equal(pinsMatch('384912', '384913'), false);
  assert.equal(pinsMatch('384912', '38491'), false);
});
