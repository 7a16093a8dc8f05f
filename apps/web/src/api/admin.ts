// The administrator API (`/api/v1/admin/…`, Bearer admin token; see /api/openapi.json), with checked
// answers: the portal screens only see values of the promised shape.
import { asObject, optStr, str } from './decode.ts';
import { BadResponseError } from './http.ts';
import { type JsonClient, seg } from './request.ts';
import { decodeSecurityOfficer, type SecurityOfficer } from './support.ts';

export const AGENCY_TYPES = ['central', 'local', 'education', 'public'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
export const HR_SYSTEMS = ['e-saram', 'insaro'] as const;
export type HrSystem = (typeof HR_SYSTEMS)[number];
export const AUDIT_OUTCOMES = ['success', 'refused', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type PersonState = 'active' | 'on_leave' | 'retired';
export type AccountState = 'pending' | 'active' | 'locked' | 'retired';

export interface Agency {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly mobileIdAdopted: boolean;
  readonly mailDomain: string | null;
  readonly signupEligible: boolean;
  /** the security officer (보안담당관) its officials see on their home page */
  readonly securityOfficer: SecurityOfficer | null;
}

export interface AgencyInput {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly mobileIdAdopted?: boolean;
  readonly mailDomain?: string | null;
}

export interface Department {
  readonly agencyCode: string;
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
}

export interface PersonAccount {
  readonly id: string;
  readonly address: string;
  readonly state: AccountState;
}

export interface Person {
  readonly employeeNumber: string;
  readonly agencyCode: string;
  readonly departmentCode: string | null;
  readonly realName: string;
  readonly position: string | null;
  readonly mobile: string | null;
  readonly isDepartmentHead: boolean;
  readonly state: PersonState;
  readonly retirementDate: string | null;
  readonly retiredAt: string | null;
  readonly account: PersonAccount | null;
}

/** The whole HR record (PUT replaces it); `mailId` creates the account once. */
export interface PersonInput {
  readonly agencyCode: string;
  readonly departmentCode?: string | null;
  readonly realName: string;
  readonly position?: string | null;
  readonly mobile?: string | null;
  readonly isDepartmentHead?: boolean;
  readonly state?: 'active' | 'on_leave';
  readonly retirementDate?: string | null;
  readonly mailId?: string;
}

export interface SignupCode {
  /** Shown once; the server keeps only a hash. */
  readonly code: string;
  readonly address: string;
  readonly expiresAt: string;
  readonly maxAttempts: number;
}

export interface CertificateRegistration {
  readonly id: string;
  readonly serial: string;
  readonly issuer: string;
  readonly class: string;
  readonly subjectName: string;
  readonly notAfter: string;
  readonly registeredAt: string;
  readonly replacedAt: string | null;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
}

export interface HrKey {
  readonly id: string;
  readonly system: HrSystem;
  readonly label: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditOutcome;
  readonly code: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly ip: string | null;
}

export interface AuditFilters {
  readonly action?: string;
  readonly actor?: string;
  readonly target?: string;
  readonly outcome?: AuditOutcome | '';
  /** ISO instants: from inclusive, to exclusive */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, values: readonly T[]): T {
  const value = obj[key];
  if (typeof value !== 'string' || !values.includes(value as T)) throw new BadResponseError(key);
  return value as T;
}

function bool(obj: Record<string, unknown>, key: string): boolean {
  const value = obj[key];
  if (typeof value !== 'boolean') throw new BadResponseError(key);
  return value;
}

function list(value: unknown, key: string): unknown[] {
  const arr = asObject(value, key)[key];
  if (!Array.isArray(arr)) throw new BadResponseError(key);
  return arr;
}

export function decodeAgency(value: unknown): Agency {
  const a = asObject(value, 'agency');
  return {
    code: str(a, 'code', 32),
    name: str(a, 'name', 200),
    type: oneOf(a, 'type', AGENCY_TYPES),
    mobileIdAdopted: bool(a, 'mobileIdAdopted'),
    mailDomain: optStr(a, 'mailDomain', 253),
    signupEligible: bool(a, 'signupEligible'),
    securityOfficer: decodeSecurityOfficer(a.securityOfficer),
  };
}

function decodeDepartment(value: unknown): Department {
  const d = asObject(value, 'department');
  return {
    agencyCode: str(d, 'agencyCode', 32),
    code: str(d, 'code', 32),
    name: str(d, 'name', 200),
    parentCode: optStr(d, 'parentCode', 32),
  };
}

export function decodePerson(value: unknown): Person {
  const p = asObject(value, 'person');
  const acc = p.account === null || p.account === undefined ? null : asObject(p.account, 'account');
  return {
    employeeNumber: str(p, 'employeeNumber', 32),
    agencyCode: str(p, 'agencyCode', 32),
    departmentCode: optStr(p, 'departmentCode', 32),
    realName: str(p, 'realName', 64),
    position: optStr(p, 'position', 64),
    mobile: optStr(p, 'mobile', 20),
    isDepartmentHead: bool(p, 'isDepartmentHead'),
    state: oneOf(p, 'state', ['active', 'on_leave', 'retired'] as const),
    retirementDate: optStr(p, 'retirementDate', 10),
    retiredAt: optStr(p, 'retiredAt', 64),
    account: acc
      ? {
          id: str(acc, 'id', 64),
          address: str(acc, 'address', 320),
          state: oneOf(acc, 'state', ['pending', 'active', 'locked', 'retired'] as const),
        }
      : null,
  };
}

function decodeCertificate(value: unknown): CertificateRegistration {
  const c = asObject(value, 'certificate');
  return {
    id: str(c, 'id', 64),
    serial: str(c, 'serial', 200),
    issuer: str(c, 'issuer', 1024),
    class: str(c, 'class', 64),
    subjectName: str(c, 'subjectName', 200),
    notAfter: str(c, 'notAfter', 64),
    registeredAt: str(c, 'registeredAt', 64),
    replacedAt: optStr(c, 'replacedAt', 64),
    revokedAt: optStr(c, 'revokedAt', 64),
    revokeReason: optStr(c, 'revokeReason', 200),
  };
}

function decodeHrKey(value: unknown): HrKey {
  const k = asObject(value, 'key');
  return {
    id: str(k, 'id', 64),
    system: oneOf(k, 'system', HR_SYSTEMS),
    label: str(k, 'label', 200),
    prefix: str(k, 'prefix', 64),
    createdAt: str(k, 'createdAt', 64),
    lastUsedAt: optStr(k, 'lastUsedAt', 64),
    revokedAt: optStr(k, 'revokedAt', 64),
  };
}

function decodeAudit(value: unknown): AuditEntry {
  const e = asObject(value, 'entry');
  if (typeof e.id !== 'number') throw new BadResponseError('id');
  const details = e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? e.details : {};
  return {
    id: e.id,
    at: str(e, 'at', 64),
    actor: str(e, 'actor', 200),
    action: str(e, 'action', 200),
    target: optStr(e, 'target', 400),
    outcome: oneOf(e, 'outcome', AUDIT_OUTCOMES),
    code: optStr(e, 'code', 100),
    details: details as Record<string, unknown>,
    ip: optStr(e, 'ip', 100),
  };
}

/** The admin API over a JSON client that sends the admin token. */
export function adminApi(client: JsonClient) {
  return {
    /** Any cheap admin call: resolves when the token is accepted. */
    async checkToken(): Promise<void> {
      await client.request('GET', '/api/v1/admin/hr-keys');
    },
    async listAgencies(): Promise<Agency[]> {
      return list(await client.request('GET', '/api/v1/admin/agencies'), 'agencies').map(decodeAgency);
    },
    async createAgency(input: AgencyInput): Promise<Agency> {
      return decodeAgency(await client.request('POST', '/api/v1/admin/agencies', { body: input }));
    },
    async listDepartments(agencyCode: string): Promise<Department[]> {
      const answer = await client.request('GET', `/api/v1/admin/agencies/${seg(agencyCode)}/departments`);
      return list(answer, 'departments').map(decodeDepartment);
    },
    async saveDepartment(
      agencyCode: string,
      code: string,
      input: { name: string; parentCode: string | null },
    ): Promise<Department> {
      const r = asObject(
        await client.request('PUT', `/api/v1/admin/agencies/${seg(agencyCode)}/departments/${seg(code)}`, {
          body: input,
        }),
        'department',
      );
      return decodeDepartment(r.department);
    },
    async listPeople(q: { agency?: string; after?: string; limit?: number }): Promise<Person[]> {
      return list(await client.request('GET', '/api/v1/admin/people', { query: q }), 'people').map(
        decodePerson,
      );
    },
    async getPerson(employeeNumber: string): Promise<Person> {
      return decodePerson(await client.request('GET', `/api/v1/admin/people/${seg(employeeNumber)}`));
    },
    async savePerson(
      employeeNumber: string,
      input: PersonInput,
    ): Promise<{ person: Person; created: boolean }> {
      const r = asObject(
        await client.request('PUT', `/api/v1/admin/people/${seg(employeeNumber)}`, { body: input }),
        'change',
      );
      return { person: decodePerson(r.person), created: r.created === true };
    },
    async movePerson(employeeNumber: string, departmentCode: string | null): Promise<Person> {
      const r = asObject(
        await client.request('PUT', `/api/v1/admin/people/${seg(employeeNumber)}/department`, {
          body: { departmentCode },
        }),
        'change',
      );
      return decodePerson(r.person);
    },
    async setRetirementDate(employeeNumber: string, retirementDate: string | null): Promise<Person> {
      const r = asObject(
        await client.request('PUT', `/api/v1/admin/people/${seg(employeeNumber)}/retirement`, {
          body: { retirementDate },
        }),
        'change',
      );
      return decodePerson(r.person);
    },
    async issueSignupCode(employeeNumber: string): Promise<SignupCode> {
      const r = asObject(
        await client.request('POST', `/api/v1/admin/people/${seg(employeeNumber)}/signup-code`),
        'signupCode',
      );
      if (typeof r.maxAttempts !== 'number') throw new BadResponseError('maxAttempts');
      return {
        code: str(r, 'code', 64),
        address: str(r, 'address', 320),
        expiresAt: str(r, 'expiresAt', 64),
        maxAttempts: r.maxAttempts,
      };
    },
    async listCertificates(employeeNumber: string): Promise<CertificateRegistration[]> {
      const answer = await client.request('GET', `/api/v1/admin/people/${seg(employeeNumber)}/certificates`);
      return list(answer, 'certificates').map(decodeCertificate);
    },
    async listHrKeys(): Promise<HrKey[]> {
      return list(await client.request('GET', '/api/v1/admin/hr-keys'), 'keys').map(decodeHrKey);
    },
    async createHrKey(input: { system: HrSystem; label: string }): Promise<HrKey & { key: string }> {
      const answer = await client.request('POST', '/api/v1/admin/hr-keys', { body: input });
      return { ...decodeHrKey(answer), key: str(asObject(answer, 'key'), 'key', 200) };
    },
    async revokeHrKey(id: string): Promise<void> {
      await client.request('DELETE', `/api/v1/admin/hr-keys/${seg(id)}`);
    },
    async queryAudit(
      filters: AuditFilters,
      cursor: string | null,
    ): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      const answer = await client.request('GET', '/api/v1/admin/audit', {
        query: { ...filters, cursor },
      });
      return {
        entries: list(answer, 'entries').map(decodeAudit),
        nextCursor: optStr(asObject(answer, 'audit'), 'nextCursor', 200),
      };
    },
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
