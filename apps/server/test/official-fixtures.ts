// Officials with registered GPKI certificates written straight into the database, for tests and
// benchmarks that run a real `gongjik start` (login-workers.test.ts, bench/login.ts): the dev CA's
// GPKI roots and CRLs in the trust directory, one central agency, and per name a person, an active
// account and the registration of their signing certificate.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaClock, type DevCa, type IssuedUser, issueUserCertificates } from '@gongjik/kpki';
import type { Db } from '../src/domain/db.ts';

/** Writes the dev CA's GPKI root and CA certificates with their CRLs into a new trust directory. */
export function writeGpkiTrust(ca: DevCa, trustDir: string): void {
  mkdirSync(trustDir, { recursive: true });
  for (const id of ['gpki-root', 'gpki-ca'] as const) {
    writeFileSync(join(trustDir, `${id}.cer`), ca.authorities[id].certificate);
    writeFileSync(join(trustDir, `${id}.crl`), ca.authorities[id].crl);
  }
}

export interface OfficialsInput {
  readonly names: readonly string[];
  /** employee numbers and mail IDs are these prefixes followed by the index */
  readonly employeePrefix: string;
  readonly localPrefix: string;
}

/** Seeds agency 1741000 and one active, certificate-registered official per name (in order). */
export async function seedCertifiedOfficials(
  db: Db,
  ca: DevCa,
  clock: CaClock,
  input: OfficialsInput,
): Promise<IssuedUser[]> {
  const now = clock.now;
  const agency = await db
    .insertInto('agencies')
    .values({ code: '1741000', name: '행정안전부', type: 'central', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const issued: IssuedUser[] = [];
  for (const [i, name] of input.names.entries()) {
    const u = await issueUserCertificates(ca, { kind: 'gpki', name, org: '행정안전부' }, clock);
    const person = await db
      .insertInto('people')
      .values({
        employee_number: `${input.employeePrefix}${i}`,
        agency_id: agency.id,
        real_name: name,
        state: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const account = await db
      .insertInto('accounts')
      .values({
        person_id: person.id,
        agency_id: agency.id,
        local_part: `${input.localPrefix}${i}`,
        domain: 'korea.kr',
        real_name: name,
        state: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('certificate_registrations')
      .values({
        account_id: account.id,
        fingerprint_sha256: createHash('sha256').update(u.sign.certificate).digest('hex'),
        serial: u.sign.serial,
        issuer: 'dev',
        class: 'gpki-personal',
        subject_name: name,
        not_after: u.notAfter,
        registered_at: now,
      })
      .execute();
    issued.push(u);
  }
  return issued;
}
