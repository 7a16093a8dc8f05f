// Renders the wallet's PNG icons (192, 512 and a maskable 512) from public/icon*.svg with Debian's
// Chromium. The PNGs are committed; run again after changing the SVGs:
//   node apps/wallet/scripts/icons.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/browser/helpers/chromium.ts';

const publicDir = join(import.meta.dirname, '..', 'public');
const jobs = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const job of jobs) {
    const page = await browser.newPage({ viewport: { width: job.size, height: job.size } });
    const svg = readFileSync(join(publicDir, job.svg), 'utf8');
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img width="${job.size}" height="${job.size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
    );
    await page.screenshot({ path: join(publicDir, job.png), omitBackground: true });
    await page.close();
    console.log(`${job.png} (${job.size}×${job.size})`);
  }
} finally {
  await browser.close();
}
