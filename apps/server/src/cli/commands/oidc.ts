// `gongjik admin oidc-client …` / `admin oidc-keys rotate`: the OpenID Connect provider's relying
// parties and keys, over the running server's admin API.
import { GongjikError } from '@gongjik/errors';
import { adminClient, serverOptions } from '../client.ts';
import { type CommandContext, defineCommand, optionalString, requireString } from '../command.ts';

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name];
  const values = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return values.filter((x): x is string => typeof x === 'string' && x !== '');
}

export const adminOidcClientAdd = defineCommand({
  name: 'admin oidc-client add',
  summary: 'register a work system as an OpenID Connect client (its secret is shown once)',
  usage:
    'admin oidc-client add --name NAME --redirect-uri URI [--redirect-uri URI…] [--id ID] [--public] ' +
    '[--post-logout-uri URI…] [--require-consent] [--refresh] [--alg ES256|RS256]',
  options: {
    ...serverOptions,
    id: { type: 'string', description: 'client_id (default: generated)' },
    name: { type: 'string', description: 'the name users see, e.g. 온나라 업무관리' },
    'redirect-uri': {
      type: 'string',
      multiple: true,
      description: 'exact redirect URI (https; http only for localhost)',
    },
    'post-logout-uri': { type: 'string', multiple: true, description: 'where to return after sign-out' },
    public: { type: 'boolean', description: 'public client: no secret (token_endpoint_auth_method none)' },
    'secret-post': { type: 'boolean', description: 'send the secret in the body (client_secret_post)' },
    'require-consent': { type: 'boolean', description: 'ask the official before releasing claims' },
    refresh: { type: 'boolean', description: 'allow refresh tokens (scope offline_access)' },
    alg: { type: 'string', description: 'ID token signature: ES256 (default) or RS256' },
  },
  async run(ctx) {
    const redirectUris = list(ctx, 'redirect-uri');
    if (!redirectUris.length)
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--redirect-uri is required' });
    const alg = optionalString(ctx, 'alg');
    if (alg && alg !== 'ES256' && alg !== 'RS256')
      throw new GongjikError('ERR_CLI_USAGE', { problem: '--alg must be ES256 or RS256' });
    const r = await adminClient(ctx).request<{
      client: Record<string, unknown>;
      clientSecret: string | null;
    }>('POST', '/api/v1/admin/oidc/clients', {
      ...(optionalString(ctx, 'id') ? { clientId: optionalString(ctx, 'id') } : {}),
      clientName: requireString(ctx, 'name'),
      redirectUris,
      postLogoutRedirectUris: list(ctx, 'post-logout-uri'),
      tokenEndpointAuthMethod:
        ctx.values.public === true
          ? 'none'
          : ctx.values['secret-post'] === true
            ? 'client_secret_post'
            : 'client_secret_basic',
      requireConsent: ctx.values['require-consent'] === true,
      allowRefresh: ctx.values.refresh === true,
      ...(alg ? { idTokenSignedResponseAlg: alg } : {}),
    });
    ctx.print(`registered ${r.client.clientId} (${r.client.clientName})`);
    if (r.clientSecret) {
      ctx.print(`client secret: ${r.clientSecret}`);
      ctx.print('Store it now: it is not shown again.');
    }
    return r;
  },
});

export const adminOidcClientList = defineCommand({
  name: 'admin oidc-client list',
  summary: 'list the registered OpenID Connect clients',
  options: { ...serverOptions },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ clients: Record<string, unknown>[] }>(
      'GET',
      '/api/v1/admin/oidc/clients',
    );
    for (const c of r.clients)
      ctx.print(
        `${String(c.clientId).padEnd(28)} ${String(c.tokenEndpointAuthMethod).padEnd(20)} ${c.clientName}  ${(c.redirectUris as string[]).join(' ')}`,
      );
    return r;
  },
});

export const adminOidcClientRemove = defineCommand({
  name: 'admin oidc-client remove',
  summary: 'remove an OpenID Connect client (its codes and tokens are deleted)',
  usage: 'admin oidc-client remove --id ID',
  options: { ...serverOptions, id: { type: 'string', description: 'client_id' } },
  async run(ctx) {
    const id = requireString(ctx, 'id');
    await adminClient(ctx).request('DELETE', `/api/v1/admin/oidc/clients/${encodeURIComponent(id)}`);
    ctx.print(`removed ${id}`);
    return { removed: id };
  },
});

export const adminOidcKeysRotate = defineCommand({
  name: 'admin oidc-keys rotate',
  summary: 'rotate the OpenID Connect signing and cookie keys (old keys stay published 7 days)',
  options: { ...serverOptions },
  async run(ctx) {
    const r = await adminClient(ctx).request<{ created: string[]; retired: string[]; removed: string[] }>(
      'POST',
      '/api/v1/admin/oidc/keys/rotate',
    );
    ctx.print(`new keys: ${r.created.join(', ')}; retired: ${r.retired.join(', ') || '-'}`);
    return r;
  },
});

export const oidcCommands = [
  adminOidcClientAdd,
  adminOidcClientList,
  adminOidcClientRemove,
  adminOidcKeysRotate,
];
