// The gate QR as an SVG path: the right size for the payload, only dark modules drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from 'uqr';
import { qrPath } from '../src/qr/qr-svg.ts';

test('draws every dark module of the symbol and nothing else', () => {
  const text = 'gongjik-gate~' + 'x'.repeat(900);
  const path = qrPath(text);
  const qr = encode(text, { ecc: 'L', border: 4 });
  assert.equal(path.size, qr.size);
  const drawn = new Set<string>();
  for (const m of path.d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, run] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let k = 0; k < run; k++) drawn.add(`${x + k},${y}`);
  }
  let dark = 0;
  qr.data.forEach((row, y) => {
    row.forEach((on, x) => {
      if (on) dark++;
      assert.equal(drawn.has(`${x},${y}`), on, `module ${x},${y}`);
    });
  });
  assert.equal(drawn.size, dark);
});

test('a ~1 KB gate presentation fits one QR code with a quiet zone of four modules', () => {
  const path = qrPath('a'.repeat(1000));
  assert.ok(path.version <= 25, `version ${path.version}`);
  assert.equal(path.size, 17 + 4 * path.version + 8);
});
