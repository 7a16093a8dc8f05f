// What the mobile-ID domain needs from the configuration, resolved once per Config.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, MobileIdConfig, SmsConfig } from '../../config.ts';

export interface MidSettings extends MobileIdConfig {
  /** HMAC key for stored PIN verifiers (never in the database). */
  readonly pepper: Buffer;
  readonly sms: SmsConfig;
}

export const PIN_PEPPER_FILE = 'mobile-id-pin-pepper';
const cache = new WeakMap<Config, MidSettings>();

/**
 * The mobile-ID settings of `config`. The PIN pepper comes from GONGJIK_MID_PIN_PEPPER or, when it
 * is unset, from <data-dir>/mobile-id-pin-pepper (created with 256 random bits, mode 0600). Several
 * server processes must share it: set the variable when they do not share the data directory.
 */
export function midSettings(config: Config): MidSettings {
  const hit = cache.get(config);
  if (hit) return hit;
  const pepper = config.mobileId.pinPepper
    ? Buffer.from(config.mobileId.pinPepper, 'utf8')
    : loadPepperFile(config.dataDir);
  const settings = Object.freeze({ ...config.mobileId, pepper, sms: config.sms });
  cache.set(config, settings);
  return settings;
}

function loadPepperFile(dataDir: string): Buffer {
  const file = join(dataDir, PIN_PEPPER_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
}
