// The web app's Chromium launcher, with the wallet's phone screen: 360 px wide, touch.
import {
  type Browser,
  launchBrowser as launchDesktop,
} from '../../../../web/test/browser/helpers/chromium.ts';

export {
  type Browser,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumSkipReason,
} from '../../../../web/test/browser/helpers/chromium.ts';

export function launchBrowser(): Promise<Browser> {
  return launchDesktop({ viewport: { width: 360, height: 780 }, hasTouch: true });
}
