// OpenID Connect client administration (`/api/v1/admin/oidc/…`, admin token) and the agency update,
// with checked answers.
import { type Agency, decodeAgency } from './admin.ts';
import { asObject, optStr, str } from './decode.ts';
import { BadResponseError } from './http.ts';
import { type JsonClient, seg } from './request.ts';
import type { SecurityOfficer } from './support.ts';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface OidcClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly tokenEndpointAuthMethod: AuthMethod;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly requireConsent: boolean;
  readonly allowRefresh: boolean;
  readonly firstParty: boolean;
  readonly disabled: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string | null;
}

export interface OidcClientInput {
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly tokenEndpointAuthMethod?: AuthMethod;
  readonly requireConsent?: boolean;
  readonly allowRefresh?: boolean;
}

function strings(obj: Record<string, unknown>, key: string): string[] {
  const v = obj[key];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new BadResponseError(key);
  return v as string[];
}

function bool(obj: Record<string, unknown>, key: string): boolean {
  if (typeof obj[key] !== 'boolean') throw new BadResponseError(key);
  return obj[key] as boolean;
}

export function decodeClient(value: unknown): OidcClient {
  const c = asObject(value, 'client');
  const method = c.tokenEndpointAuthMethod;
  if (typeof method !== 'string' || !AUTH_METHODS.includes(method as AuthMethod))
    throw new BadResponseError('tokenEndpointAuthMethod');
  return {
    clientId: str(c, 'clientId', 64),
    clientName: str(c, 'clientName', 200),
    tokenEndpointAuthMethod: method as AuthMethod,
    redirectUris: strings(c, 'redirectUris'),
    postLogoutRedirectUris: strings(c, 'postLogoutRedirectUris'),
    requireConsent: bool(c, 'requireConsent'),
    allowRefresh: bool(c, 'allowRefresh'),
    firstParty: bool(c, 'firstParty'),
    disabled: c.disabled === true,
    createdBy: str(c, 'createdBy', 200),
    createdAt: str(c, 'createdAt', 64),
    updatedAt: optStr(c, 'updatedAt', 64),
  };
}

function withSecret(value: unknown): { client: OidcClient; clientSecret: string | null } {
  const r = asObject(value, 'registration');
  return { client: decodeClient(r.client), clientSecret: optStr(r, 'clientSecret', 200) };
}

export function oidcAdminApi(client: JsonClient) {
  const base = '/api/v1/admin/oidc/clients';
  return {
    async list(): Promise<OidcClient[]> {
      const r = asObject(await client.request('GET', base), 'clients');
      if (!Array.isArray(r.clients)) throw new BadResponseError('clients');
      return r.clients.map(decodeClient);
    },
    async register(input: OidcClientInput) {
      return withSecret(await client.request('POST', base, { body: input }));
    },
    async update(clientId: string, input: Partial<OidcClientInput>): Promise<OidcClient> {
      const r = asObject(
        await client.request('PATCH', `${base}/${seg(clientId)}`, { body: input }),
        'update',
      );
      return decodeClient(r.client);
    },
    async setDisabled(clientId: string, disabled: boolean): Promise<OidcClient> {
      const r = asObject(
        await client.request('POST', `${base}/${seg(clientId)}/${disabled ? 'disable' : 'enable'}`),
        'change',
      );
      return decodeClient(r.client);
    },
    async rotateSecret(clientId: string): Promise<{ client: OidcClient; clientSecret: string }> {
      const r = withSecret(await client.request('POST', `${base}/${seg(clientId)}/secret`));
      if (!r.clientSecret) throw new BadResponseError('clientSecret');
      return { client: r.client, clientSecret: r.clientSecret };
    },
    async remove(clientId: string): Promise<void> {
      await client.request('DELETE', `${base}/${seg(clientId)}`);
    },
    async rotateKeys(): Promise<{ created: number; retired: number; removed: number }> {
      const r = asObject(await client.request('POST', '/api/v1/admin/oidc/keys/rotate'), 'rotation');
      const n = (k: string) => (Array.isArray(r[k]) ? (r[k] as unknown[]).length : 0);
      return { created: n('created'), retired: n('retired'), removed: n('removed') };
    },
    async updateAgency(
      code: string,
      input: { mobileIdAdopted?: boolean; name?: string; securityOfficer?: SecurityOfficer | null },
    ): Promise<Agency> {
      const r = asObject(
        await client.request('PATCH', `/api/v1/admin/agencies/${seg(code)}`, { body: input }),
        'change',
      );
      return decodeAgency(r.agency);
    },
  };
}
