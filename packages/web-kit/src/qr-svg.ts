// A QR code as one SVG path (no canvas, no inline styles: fits the CSP). Encoding by `uqr`.
import { encode } from 'uqr';

export interface QrPath {
  /** Modules per side, quiet zone included. */
  readonly size: number;
  /** `M x y h1 v1 h-1 z` squares of the dark modules. */
  readonly d: string;
  readonly version: number;
}

/**
 * Encodes `text` (byte mode) at error-correction level L by default — the gate QR is about 900 bytes, and a
 * phone screen shown to a kiosk camera is clean — with the standard 4-module quiet zone.
 */
export function qrPath(text: string, options: { ecc?: 'L' | 'M' } = {}): QrPath {
  const qr = encode(text, { ecc: options.ecc ?? 'L', border: 4 });
  const parts: string[] = [];
  qr.data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      let run = 1;
      while (row[x + run]) run++;
      parts.push(`M${x} ${y}h${run}v1h-${run}z`);
      x += run;
    }
  });
  return { size: qr.size, d: parts.join(''), version: qr.version };
}
