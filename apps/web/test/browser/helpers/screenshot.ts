// Screenshots of a screen at desktop (1280 px) and phone (360 px) width, saved under
// docs/screenshots/<name>-1280.png and <name>-360.png (linked from the README).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(import.meta.dirname, '..', '..', '..', '..', '..', 'docs', 'screenshots');

export const WIDTHS = [1280, 360] as const;

export async function screenshot(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  const paths: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const path = join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
    paths.push(path);
  }
  if (before) await page.setViewportSize(before);
  return paths;
}

/** True when the page is wider than the viewport (content overflowing at a phone width). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}
