// Where an official turns for help: the help desk number (public, for the login page) and, when
// signed in, the security officer (보안담당관) of their own agency.
import { asObject, str } from './decode.ts';
import { BadResponseError } from './http.ts';
import type { JsonClient } from './request.ts';

export interface SecurityOfficer {
  readonly name: string;
  readonly phone: string;
  readonly email: string;
}

export interface SupportInfo {
  readonly helpDeskPhone: string;
  /** null: the agency has none registered */
  readonly securityOfficer: (SecurityOfficer & { readonly agency: string }) | null;
}

/** The officer as the admin API and GET /api/v1/support give it, or null. */
export function decodeSecurityOfficer(value: unknown): SecurityOfficer | null {
  if (value === null || value === undefined) return null;
  const o = asObject(value, 'securityOfficer');
  return { name: str(o, 'name', 100), phone: str(o, 'phone', 40), email: str(o, 'email', 320) };
}

function helpDeskPhone(answer: Record<string, unknown>): string {
  const phone = str(asObject(answer.helpDesk, 'helpDesk'), 'phone', 40);
  if (!/^\+?[0-9-]+$/.test(phone)) throw new BadResponseError('phone');
  return phone;
}

/** `tel:` link of a number written with hyphens. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^0-9+]/g, '')}`;

export function supportApi(client: JsonClient) {
  return {
    /** The help desk number, without a session. */
    async helpDesk(): Promise<string> {
      return helpDeskPhone(asObject(await client.request('GET', '/api/v1/support/help-desk'), 'support'));
    },
    /** The help desk and the caller's agency's security officer (session). */
    async mine(): Promise<SupportInfo> {
      const r = asObject(await client.request('GET', '/api/v1/support'), 'support');
      const officer = decodeSecurityOfficer(r.securityOfficer);
      return {
        helpDeskPhone: helpDeskPhone(r),
        securityOfficer: officer
          ? { ...officer, agency: str(asObject(r.securityOfficer, 'securityOfficer'), 'agency', 200) }
          : null,
      };
    },
  };
}
