// Where an official turns for help: the help desk (one number, a setting) and the security officer
// (보안담당관) of their own agency, if the administrator has registered one.
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';
import { type SecurityOfficer, securityOfficerOf } from './agencies.ts';

export interface SupportView {
  readonly helpDesk: { readonly phone: string };
  /** null: the agency has none registered */
  readonly securityOfficer: (SecurityOfficer & { readonly agency: string }) | null;
}

export async function supportFor(
  db: Db,
  agencyId: string,
  settings: { readonly helpDeskPhone: string },
): Promise<SupportView> {
  const agency = await db
    .selectFrom('agencies')
    .select(['code', 'name', 'security_officer_name', 'security_officer_phone', 'security_officer_email'])
    .where('id', '=', agencyId)
    .executeTakeFirst();
  if (!agency) throw new GongjikError('ERR_DIR_AGENCY_UNKNOWN', { agency: agencyId });
  const officer = securityOfficerOf(agency);
  return {
    helpDesk: { phone: settings.helpDeskPhone },
    securityOfficer: officer ? { ...officer, agency: agency.name } : null,
  };
}
