import type { Account, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { daysBetween, koreanDate } from '../directory/dates.ts';

export interface RetirementWarning {
  /** YYYY-MM-DD, in Korea */
  readonly retirementDate: string;
  readonly daysLeft: number;
}

/** A certificate that expires soon: renew it before then (the seed's "renew before expiry"). */
export interface CertificateExpiryWarning {
  /** YYYY-MM-DD, in Korea: the last day the certificate is valid */
  readonly notAfter: string;
  readonly daysLeft: number;
}

/** The warning to show at login when `notAfter` is within `warningDays` of now, else null. */
export function certificateExpiryWarning(
  notAfter: Date,
  now: Date,
  warningDays: number,
): CertificateExpiryWarning | null {
  const last = koreanDate(notAfter);
  const daysLeft = daysBetween(koreanDate(now), last);
  return daysLeft <= warningDays ? { notAfter: last, daysLeft } : null;
}

export interface LoginAllowed {
  /** set when the retirement date is within the warning window: show it at every login */
  readonly retirementWarning: RetirementWarning | null;
}

/**
 * Decides from the account's state whether it may sign in now (any method), and whether to warn
 * about an approaching retirement. Throws ERR_AUTH_RETIRED (also when the date has come but the
 * retirement job has not run yet), ERR_AUTH_ACCOUNT_LOCKED or ERR_AUTH_SIGNUP_INCOMPLETE.
 */
export function assertAccountCanLogin(
  account: Pick<Account, 'state'>,
  person: Pick<Person, 'state' | 'retirement_date'> | null,
  now: Date,
  options: { warningDays: number },
): LoginAllowed {
  const today = koreanDate(now);
  if (account.state === 'retired' || person?.state === 'retired') throw new GongjikError('ERR_AUTH_RETIRED');
  if (person?.retirement_date && person.retirement_date <= today) throw new GongjikError('ERR_AUTH_RETIRED');
  if (account.state === 'locked') throw new GongjikError('ERR_AUTH_ACCOUNT_LOCKED');
  if (account.state === 'pending') throw new GongjikError('ERR_AUTH_SIGNUP_INCOMPLETE');
  let retirementWarning: RetirementWarning | null = null;
  if (person?.retirement_date) {
    const daysLeft = daysBetween(today, person.retirement_date);
    if (daysLeft <= options.warningDays)
      retirementWarning = { retirementDate: person.retirement_date, daysLeft };
  }
  return { retirementWarning };
}
