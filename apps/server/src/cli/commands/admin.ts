// `gongjik admin …`: administration of a running server over its HTTP API, with the admin token.
import { GongjikError } from '@gongjik/errors';
import { adminClient, serverOptions } from '../client.ts';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';

const enc = encodeURIComponent;

export const adminAgencyAdd = defineCommand({
  name: 'admin agency add',
  summary: 'register an agency (type: central | local | education | public)',
  usage: 'admin agency add --code C --name NAME --type TYPE [--mobile-id] [--mail-domain D]',
  options: {
    ...serverOptions,
    code: { type: 'string', description: 'agency code' },
    name: { type: 'string', description: 'agency name' },
    type: {
      type: 'string',
      description: 'central 중앙행정기관 | local 지방자치단체 | education 교육기관 | public 공공기관',
    },
    'mobile-id': { type: 'boolean', description: 'the agency has adopted the mobile ID' },
    'mail-domain': { type: 'string', description: 'own mail domain (default: the server’s)' },
  },
  async run(ctx) {
    const agency = await adminClient(ctx).request('POST', '/api/v1/admin/agencies', {
      code: requireString(ctx, 'code'),
      name: requireString(ctx, 'name'),
      type: requireString(ctx, 'type'),
      mobileIdAdopted: ctx.values['mobile-id'] === true,
      mailDomain: optionalString(ctx, 'mail-domain') ?? null,
    });
    ctx.print(`registered ${agency.code} ${agency.name} (${agency.type})`);
    return { agency };
  },
});

export const adminAgencyList = defineCommand({
  name: 'admin agency list',
  summary: 'list agencies',
  options: { ...serverOptions },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ agencies: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/admin/agencies',
    );
    for (const a of r.agencies)
      ctx.print(`${String(a.code).padEnd(16)} ${String(a.type).padEnd(10)} ${a.name}`);
    return r;
  },
});

function personBody(ctx: CommandContext) {
  return {
    agencyCode: requireString(ctx, 'agency'),
    realName: requireString(ctx, 'name'),
    departmentCode: optionalString(ctx, 'department') ?? null,
    position: optionalString(ctx, 'position') ?? null,
    mobile: optionalString(ctx, 'mobile') ?? null,
    isDepartmentHead: ctx.values.head === true,
    retirementDate: optionalString(ctx, 'retirement-date') ?? null,
    ...(optionalString(ctx, 'mail-id') ? { mailId: optionalString(ctx, 'mail-id') } : {}),
  };
}

export const adminPersonAdd = defineCommand({
  name: 'admin person add',
  summary: 'create or update a person (and, with --mail-id, their mail account)',
  usage: 'admin person add --employee NO --agency CODE --name NAME [--mail-id ID] [--department CODE] …',
  options: {
    ...serverOptions,
    employee: { type: 'string', description: 'employee number' },
    agency: { type: 'string', description: 'agency code' },
    name: { type: 'string', description: 'real name, exactly as in the certificate' },
    department: { type: 'string', description: 'department code' },
    position: { type: 'string', description: 'position (직위)' },
    mobile: { type: 'string', description: 'mobile number' },
    head: { type: 'boolean', description: 'head of the department (부서장)' },
    'mail-id': { type: 'string', description: 'mail ID: creates <id>@<domain>' },
    'retirement-date': { type: 'string', description: 'YYYY-MM-DD' },
  },
  async run(ctx) {
    const employee = requireString(ctx, 'employee');
    const r = await adminClient(ctx).request<{
      person: Record<string, unknown>;
      changed: boolean;
      created: boolean;
    }>('PUT', `/api/v1/admin/people/${enc(employee)}`, personBody(ctx));
    ctx.print(
      `${r.created ? 'created' : r.changed ? 'updated' : 'unchanged'} ${employee} ${r.person.realName}`,
    );
    return r;
  },
});

export const adminPersonList = defineCommand({
  name: 'admin person list',
  summary: 'list people',
  options: { ...serverOptions, agency: { type: 'string', description: 'only this agency' } },
  async run(ctx) {
    const agency = optionalString(ctx, 'agency');
    const r = await adminClient(ctx).request<{ people: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/admin/people${agency ? `?agency=${enc(agency)}` : ''}`,
    );
    for (const p of r.people) {
      const account = p.account as { address: string } | null;
      ctx.print(
        `${String(p.employeeNumber).padEnd(14)} ${String(p.state).padEnd(9)} ${p.realName}  ${account?.address ?? ''}`,
      );
    }
    return r;
  },
});

export const adminPersonRetire = defineCommand({
  name: 'admin person retire',
  summary: 'set (or with --clear, remove) a person’s retirement date',
  usage: 'admin person retire --employee NO (--date YYYY-MM-DD | --clear)',
  options: {
    ...serverOptions,
    employee: { type: 'string', description: 'employee number' },
    date: { type: 'string', description: 'retirement date, YYYY-MM-DD' },
    clear: { type: 'boolean', description: 'remove the retirement date' },
    now: { type: 'boolean', description: 'also apply the retirements due today at once' },
  },
  async run(ctx) {
    const employee = requireString(ctx, 'employee');
    const date = optionalString(ctx, 'date');
    if (!date && ctx.values.clear !== true)
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--date or --clear is required' });
    const client = adminClient(ctx);
    const r = await client.request('PUT', `/api/v1/admin/people/${enc(employee)}/retirement`, {
      retirementDate: date ?? null,
    });
    const applied =
      ctx.values.now === true ? await client.request('POST', '/api/v1/admin/retirements/run') : undefined;
    ctx.print(date ? `${employee} retires on ${date}` : `${employee}: retirement date cleared`);
    return { ...r, ...(applied ? { applied } : {}) };
  },
});

export const adminPersonSignupCode = defineCommand({
  name: 'admin person signup-code',
  summary: 'issue a one-time sign-up code for a person’s account (shown once)',
  options: { ...serverOptions, employee: { type: 'string', description: 'employee number' } },
  async run(ctx) {
    const employee = requireString(ctx, 'employee');
    const r = await adminClient(ctx).request('POST', `/api/v1/admin/people/${enc(employee)}/signup-code`);
    ctx.print(`sign-up code for ${r.address}: ${r.code} (valid until ${r.expiresAt})`);
    return r;
  },
});

export const adminHrKeyCreate = defineCommand({
  name: 'admin hr-key create',
  summary: 'create an API key for an HR system (e-saram | insaro); the key is shown once',
  usage: 'admin hr-key create --system e-saram|insaro [--label TEXT]',
  options: {
    ...serverOptions,
    system: { type: 'string', description: 'e-saram (e-사람) or insaro (차세대 인사랑)' },
    label: { type: 'string', description: 'what the key is for' },
  },
  async run(ctx) {
    const system = requireString(ctx, 'system');
    const r = await adminClient(ctx).request('POST', '/api/v1/admin/hr-keys', {
      system,
      label: optionalString(ctx, 'label') ?? system,
    });
    ctx.print(`HR API key for ${system}: ${r.key}`);
    ctx.print('Store it now: it is not shown again.');
    return r;
  },
});

export const adminCommands = [
  adminAgencyAdd,
  adminAgencyList,
  adminPersonAdd,
  adminPersonList,
  adminPersonRetire,
  adminPersonSignupCode,
  adminHrKeyCreate,
];
