// `gongjik id …`: the mobile-ID issuance workflow and card lifecycle over the server's HTTP API,
// with the admin token (default) or an HR system's API key (--hr-key: the HR API).
import { GongjikError } from '@gongjik/errors';
import { type ApiClient, adminClient, serverOptions } from '../client.ts';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';

const enc = encodeURIComponent;

const idOptions = {
  ...serverOptions,
  'hr-key': {
    type: 'string',
    description: 'act as an HR system with this API key (the HR API) instead of the admin token',
  },
} as const;

function client(ctx: CommandContext): { api: ApiClient; prefix: string; hr: boolean } {
  const hrKey = optionalString(ctx, 'hr-key');
  if (!hrKey) return { api: adminClient(ctx), prefix: '/api/v1/admin', hr: false };
  return {
    api: adminClient({ ...ctx, values: { ...ctx.values, token: hrKey } }),
    prefix: '/api/v1/hr',
    hr: true,
  };
}

type Row = Record<string, unknown>;

function printRequest(ctx: CommandContext, r: Row): void {
  ctx.print(
    `${r.id}  ${String(r.state).padEnd(9)} ${r.employeeNumber} ${r.realName} (${r.kind}, ${r.reason})`,
  );
  for (const [label, at, by] of [
    ['requested', r.requestedAt, r.requestedBy],
    [
      'decided',
      r.decidedAt,
      r.decidedByEmployee ? `${r.decidedBy} / head ${r.decidedByEmployee}` : r.decidedBy,
    ],
    ['offered', r.offeredAt, r.offerExpiresAt ? `until ${r.offerExpiresAt}` : null],
    ['issued', r.issuedAt, null],
    ['expired', r.expiredAt, null],
    ['cancelled', r.cancelledAt, r.cancelledBy ? `${r.cancelledBy}: ${r.cancelReason}` : null],
  ] as const) {
    if (at) ctx.print(`  ${label.padEnd(10)} ${at}${by ? `  ${by}` : ''}`);
  }
}

export const idRequest = defineCommand({
  name: 'id request',
  summary: 'request a mobile ID for a person (first issue or reissue); the head of department decides',
  usage:
    'id request --employee NO [--reason new|phone-change|app-deleted|pin-locked|lost|other] [--hr-key KEY]',
  options: {
    ...idOptions,
    employee: { type: 'string', description: 'employee number' },
    reason: { type: 'string', description: 'why (default new, or other for a reissue)' },
  },
  async run(ctx) {
    const { api, prefix } = client(ctx);
    const reason = optionalString(ctx, 'reason');
    const r = await api.request<Row>('POST', `${prefix}/mobile-id/requests`, {
      employeeNumber: requireString(ctx, 'employee'),
      ...(reason ? { reason } : {}),
    });
    printRequest(ctx, r);
    return { request: r };
  },
});

function decision(approve: boolean) {
  return defineCommand({
    name: approve ? 'id approve' : 'id reject',
    summary: `${approve ? 'approve' : 'reject'} a request on behalf of the named head of department (admin token)`,
    usage: `id ${approve ? 'approve' : 'reject'} --request ID --as HEAD_EMPLOYEE_NO [--note TEXT]`,
    options: {
      ...serverOptions,
      request: { type: 'string', description: 'request id' },
      as: { type: 'string', description: 'employee number of the deciding head of department' },
      note: { type: 'string', description: 'a note kept with the decision' },
    },
    async run(ctx) {
      const note = optionalString(ctx, 'note');
      const r = await adminClient(ctx).request<Row>(
        'POST',
        `/api/v1/admin/mobile-id/requests/${enc(requireString(ctx, 'request'))}/${approve ? 'approve' : 'reject'}`,
        { approverEmployeeNumber: requireString(ctx, 'as'), ...(note ? { note } : {}) },
      );
      printRequest(ctx, r);
      return { request: r };
    },
  });
}

export const idStatus = defineCommand({
  name: 'id status',
  summary: 'show a person’s mobile ID (card, history, requests) or one request',
  usage: 'id status (--employee NO | --request ID) [--hr-key KEY]',
  options: {
    ...idOptions,
    employee: { type: 'string', description: 'employee number' },
    request: { type: 'string', description: 'request id' },
  },
  async run(ctx) {
    const { api, prefix } = client(ctx);
    const requestId = optionalString(ctx, 'request');
    if (requestId) {
      const r = await api.request<Row>('GET', `${prefix}/mobile-id/requests/${enc(requestId)}`);
      printRequest(ctx, r);
      return { request: r };
    }
    const o = await api.request<Row>(
      'GET',
      `${prefix}/people/${enc(requireString(ctx, 'employee'))}/mobile-id`,
    );
    const card = o.card as Row | null;
    ctx.print(`${o.employeeNumber} ${o.realName}${o.ineligible ? `  (not eligible: ${o.ineligible})` : ''}`);
    if (card) {
      const s = card.status as Row;
      ctx.print(
        `card ${card.id}: ${card.state}, valid until ${card.validUntil}, status list ${s.listId} #${s.idx}`,
      );
      if (card.reissueDueAt) ctx.print(`  reissue due since ${card.reissueDueAt} (HR change)`);
    } else {
      ctx.print('no live card');
    }
    for (const r of (o.requests as Row[]).slice(0, 5)) printRequest(ctx, r);
    return o;
  },
});

function cardCommand(action: 'suspend' | 'resume' | 'revoke', summary: string) {
  return defineCommand({
    name: `id ${action}`,
    summary,
    usage: `id ${action} --employee NO [--hr-key KEY]`,
    options: { ...idOptions, employee: { type: 'string', description: 'employee number' } },
    async run(ctx) {
      const { api, prefix } = client(ctx);
      const r = await api.request<{ card: Row; changed: boolean }>(
        'POST',
        `${prefix}/people/${enc(requireString(ctx, 'employee'))}/mobile-id/${action}`,
      );
      ctx.print(`card ${r.card.id}: ${r.card.state}${r.changed ? '' : ' (unchanged)'}`);
      return r;
    },
  });
}

export const idOutbox = defineCommand({
  name: 'id outbox',
  summary: 'show the text messages of a request (the outbox SMS provider; admin token)',
  usage: 'id outbox --request ID',
  options: { ...serverOptions, request: { type: 'string', description: 'request id' } },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ messages: Row[] }>(
      'GET',
      `/api/v1/admin/sms-outbox?ref=${enc(`mid-request:${requireString(ctx, 'request')}`)}`,
    );
    if (r.messages.length === 0) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
    for (const m of r.messages)
      ctx.print(`${m.createdAt} → ${m.to} [${m.kind}, ${m.state}] ${m.body ?? '(delivered)'}`);
    return r;
  },
});

export const idCommands = [
  idRequest,
  decision(true),
  decision(false),
  idStatus,
  cardCommand('suspend', 'suspend a person’s card at once (lost phone): SUSPENDED in the status list'),
  cardCommand('resume', 'reactivate a suspended card'),
  cardCommand('revoke', 'revoke a person’s card for good: INVALID in the status list'),
  idOutbox,
];
