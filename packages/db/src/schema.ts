import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';
import type { OidcTables } from './schema/oidc.ts';

export type * from './schema/oidc.ts';

import type { IdentityLoginTables } from './schema/identity-login.ts';

export type * from './schema/identity-login.ts';

import type { MailTables } from './schema/mail.ts';
import type { MailSendTables } from './schema/mail-send.ts';

export type * from './schema/mail.ts';
export type * from './schema/mail-send.ts';

import type { GateTables } from './schema/gates.ts';
import type { MobileIdTables } from './schema/mobile-id.ts';

export type * from './schema/gates.ts';

export type * from './schema/mobile-id.ts';

import type { MidVpTables } from './schema/mid-vp.ts';

export type * from './schema/mid-vp.ts';

import type { SignatureTables } from './schema/signature.ts';

export type * from './schema/signature.ts';

import type { PortalTables } from './schema/portal.ts';

export type * from './schema/portal.ts';

import type { ChallengeKeyTables } from './schema/challenge-keys.ts';

export type * from './schema/challenge-keys.ts';

/**
 * The Kysely types of the database, written by hand beside migrations/*.sql. Keep them in step:
 * a migration that adds a column adds it here too.
 *
 * Conventions: timestamptz columns are `Date`; `date` columns are ISO strings `YYYY-MM-DD`;
 * bigint columns are numbers (ids stay far below 2^53).
 */
export interface Database
  extends OidcTables,
    IdentityLoginTables,
    MailTables,
    MailSendTables,
    MobileIdTables,
    MidVpTables,
    GateTables,
    SignatureTables,
    PortalTables,
    ChallengeKeyTables {
  schema_migrations: SchemaMigrationsTable;
  audit_log: AuditLogTable;
  agencies: AgenciesTable;
  departments: DepartmentsTable;
  people: PeopleTable;
  accounts: AccountsTable;
  certificate_registrations: CertificateRegistrationsTable;
  signup_codes: SignupCodesTable;
  sessions: SessionsTable;
  admin_tokens: AdminTokensTable;
  hr_api_keys: HrApiKeysTable;
  hr_idempotency: HrIdempotencyTable;
}

type Timestamp = ColumnType<Date, Date, Date>;
type IsoDate = ColumnType<string, string, string>;
type JsonObject = Record<string, unknown>;

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Timestamp;
}

export type AuditOutcome = 'success' | 'refused' | 'failure';

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  code: string | null;
  details: JSONColumnType<JsonObject, string | undefined, never>;
  ip: string | null;
}

/** central 중앙행정기관 · local 지방자치단체 · education 교육기관 (EPKI) · public 공공기관 */
export type AgencyType = 'central' | 'local' | 'education' | 'public';

export interface AgenciesTable {
  id: Generated<string>;
  code: string;
  name: string;
  type: AgencyType;
  mobile_id_adopted: Generated<boolean>;
  mail_domain: string | null;
  /** the security officer (보안담당관, migrations/0017_support.sql): all three set, or all NULL */
  security_officer_name: ColumnType<string | null, string | null | undefined, string | null>;
  security_officer_phone: ColumnType<string | null, string | null | undefined, string | null>;
  security_officer_email: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DepartmentsTable {
  id: Generated<string>;
  agency_id: string;
  code: string;
  name: string;
  parent_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PersonState = 'active' | 'on_leave' | 'retired';

export interface PeopleTable {
  id: Generated<string>;
  employee_number: string;
  agency_id: string;
  department_id: string | null;
  real_name: string;
  position: string | null;
  mobile: string | null;
  is_department_head: Generated<boolean>;
  state: PersonState;
  retirement_date: IsoDate | null;
  retired_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type AccountState = 'pending' | 'active' | 'locked' | 'retired';

export interface AccountsTable {
  id: Generated<string>;
  person_id: string | null;
  agency_id: string;
  local_part: string;
  domain: string;
  real_name: string;
  state: AccountState;
  institutional: Generated<boolean>;
  locked_at: Timestamp | null;
  retired_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CertificateRegistrationsTable {
  id: Generated<string>;
  account_id: string;
  fingerprint_sha256: string;
  serial: string;
  issuer: string;
  class: string;
  subject_name: string;
  not_after: Timestamp;
  registered_at: Timestamp;
  replaced_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
}

export interface SignupCodesTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  attempts: Generated<number>;
  max_attempts: number;
  expires_at: Timestamp;
  issued_by: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
  invalidated_at: Timestamp | null;
}

export type SessionMethod = 'certificate' | 'mobile-id';

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  account_id: string;
  method: SessionMethod;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  details: JSONColumnType<JsonObject, string | undefined, string>;
}

export interface AdminTokensTable {
  id: Generated<string>;
  token_hash: string;
  label: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
}

export type HrSystem = 'e-saram' | 'insaro';

export interface HrApiKeysTable {
  id: Generated<string>;
  system: HrSystem;
  label: string;
  key_hash: string;
  key_prefix: string;
  created_by: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface HrIdempotencyTable {
  api_key_id: string;
  idempotency_key: string;
  request_hash: string;
  status: number;
  response: JSONColumnType<JsonObject, string, string>;
  created_at: Timestamp;
}

export type Agency = Selectable<AgenciesTable>;
export type Department = Selectable<DepartmentsTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type PersonUpdate = Updateable<PeopleTable>;
export type Account = Selectable<AccountsTable>;
export type CertificateRegistration = Selectable<CertificateRegistrationsTable>;
export type SignupCode = Selectable<SignupCodesTable>;
export type Session = Selectable<SessionsTable>;
export type HrApiKey = Selectable<HrApiKeysTable>;
export type AuditRow = Selectable<AuditLogTable>;
