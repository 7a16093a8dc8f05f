// Read-only view of the certificates registered to a person's account, for the admin portal.
// Registration itself (sign-up, renewal) belongs to the certificate sign-up work.
import type { Db } from '../db.ts';
import { findPerson } from '../directory/people.ts';

export interface CertificateRegistrationView {
  readonly id: string;
  readonly serial: string;
  readonly issuer: string;
  /** kpki's class name, e.g. gpki-personal */
  readonly class: string;
  readonly subjectName: string;
  readonly fingerprintSha256: string;
  readonly notAfter: string;
  readonly registeredAt: string;
  /** set when a renewal registered a newer certificate */
  readonly replacedAt: string | null;
  /** set by retirement or an administrator */
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
}

/** The person's registrations, newest first; ERR_DIR_PERSON_UNKNOWN for an unknown employee number. */
export async function listCertificateRegistrations(
  db: Db,
  employeeNumber: string,
): Promise<CertificateRegistrationView[]> {
  const person = await findPerson(db, employeeNumber);
  const rows = await db
    .selectFrom('certificate_registrations as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .selectAll('c')
    .where('a.person_id', '=', person.id)
    .orderBy('c.registered_at', 'desc')
    .orderBy('c.id')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    issuer: r.issuer,
    class: r.class,
    subjectName: r.subject_name,
    fingerprintSha256: r.fingerprint_sha256,
    notAfter: r.not_after.toISOString(),
    registeredAt: r.registered_at.toISOString(),
    replacedAt: r.replaced_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokeReason: r.revoke_reason,
  }));
}
