// Launching Debian's Chromium through playwright-core. When the browser is missing, the browser
// tests report as skipped with the reason — never as passed.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium; GONGJIK_CHROMIUM points elsewhere (or at nothing, to see the skip). */
export const CHROMIUM_PATH = process.env.GONGJIK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumSkipReason(): string | null {
  if (!existsSync(CHROMIUM_PATH))
    return `${CHROMIUM_PATH} is missing (install Debian's chromium package; .ci/run does)`;
  return null;
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own user-data-dir, removed on close); a desktop viewport by default. */
export async function launchBrowser(
  screen: { viewport: { width: number; height: number }; hasTouch?: boolean } = {
    viewport: { width: 1280, height: 900 },
  },
): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'gongjik-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...screen,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
