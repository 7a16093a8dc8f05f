// What HR, the head, the holder and administrators see of one person's mobile ID.
import type { Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';
import { findPerson } from '../directory/people.ts';
import { type CardView, cardsOf, cardView, LIVE_STATES } from './cards.ts';
import { agencyOf, assertEligible } from './eligibility.ts';
import { type RequestView, requestView } from './requests.ts';

export interface MobileIdOverview {
  readonly employeeNumber: string;
  readonly realName: string;
  /** null when eligible, else the refusal code a request would get */
  readonly ineligible: string | null;
  /** the live card (active or suspended), if any */
  readonly card: CardView | null;
  /** every card ever issued, newest first */
  readonly history: CardView[];
  readonly requests: RequestView[];
}

export async function overviewOf(db: Db, person: Person, issuer: string): Promise<MobileIdOverview> {
  let ineligible: string | null = null;
  try {
    assertEligible(person, await agencyOf(db, person));
  } catch (err) {
    if (!(err instanceof GongjikError)) throw err;
    ineligible = err.code;
  }
  const cards = (await cardsOf(db, person.id)).map((c) => cardView(c, person.employee_number, issuer));
  const requests = await db
    .selectFrom('mid_requests')
    .selectAll()
    .where('person_id', '=', person.id)
    .orderBy('requested_at', 'desc')
    .limit(50)
    .execute();
  return {
    employeeNumber: person.employee_number,
    realName: person.real_name,
    ineligible,
    card: cards.find((c) => (LIVE_STATES as readonly string[]).includes(c.state)) ?? null,
    history: cards,
    requests: await Promise.all(requests.map((r) => requestView(db, r))),
  };
}

export async function overviewByEmployeeNumber(db: Db, employeeNumber: string, issuer: string) {
  return overviewOf(db, await findPerson(db, employeeNumber), issuer);
}
