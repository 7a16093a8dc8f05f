// Reads the wallet's gate QR as a camera would, with the web app's jsQR-based reader.
import type { Page } from 'playwright-core';
import { readQr as readPageQr } from '../../../../web/test/browser/helpers/qr.ts';

export function readQr(page: Page, selector = '[data-testid="gate-qr"]'): Promise<string> {
  return readPageQr(page, selector);
}
