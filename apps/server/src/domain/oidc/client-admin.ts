// What an administrator does to a registered OIDC client after registration (the portal's OIDC
// screen): edit its name, redirect URIs and options; disable and enable it; rotate its secret.
// The provider reads clients through the adapter on every use, so each change applies at once.
import type { OidcClientRow } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { randomToken } from '../secrets.ts';
import { assertUris, clientView, hashSecret, type OidcClientView } from './clients.ts';

export interface UpdateClientInput {
  readonly clientName?: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly requireConsent?: boolean;
  readonly allowRefresh?: boolean;
}

async function lockClient(trx: Db, clientId: string): Promise<OidcClientRow> {
  const row = await trx
    .selectFrom('oidc_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
  return row;
}

/** Changes the given fields (others stay). Audited `oidc.client.update` with the changed field names. */
export async function updateOidcClient(
  db: Db,
  clientId: string,
  input: UpdateClientInput,
  ctx: ChangeContext,
): Promise<OidcClientView> {
  const name = input.clientName?.normalize('NFC');
  if (name !== undefined && (!name.trim() || name.length > 200))
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'clientName' });
  if (input.redirectUris) assertUris(input.redirectUris, 'redirectUris', true);
  if (input.postLogoutRedirectUris) assertUris(input.postLogoutRedirectUris, 'postLogoutRedirectUris', false);
  return inTransaction(db, async (trx) => {
    await lockClient(trx, clientId);
    const set = {
      ...(name !== undefined ? { client_name: name } : {}),
      ...(input.redirectUris ? { redirect_uris: JSON.stringify(input.redirectUris) } : {}),
      ...(input.postLogoutRedirectUris
        ? { post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris) }
        : {}),
      ...(input.requireConsent !== undefined ? { require_consent: input.requireConsent } : {}),
      ...(input.allowRefresh !== undefined ? { allow_refresh: input.allowRefresh } : {}),
    };
    const row = await trx
      .updateTable('oidc_clients')
      .set({ ...set, updated_at: ctx.now })
      .where('client_id', '=', clientId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'oidc.client.update',
      target: `oidc-client:${clientId}`,
      details: {
        fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined),
      },
      ip: ctx.ip,
    });
    return clientView(row);
  });
}

/** Disables (nobody signs in through it; its tokens stop working) or enables a client. */
export async function setOidcClientDisabled(
  db: Db,
  clientId: string,
  disabled: boolean,
  ctx: ChangeContext,
): Promise<{ client: OidcClientView; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const current = await lockClient(trx, clientId);
    if ((current.disabled_at !== null) === disabled) return { client: clientView(current), changed: false };
    const row = await trx
      .updateTable('oidc_clients')
      .set({ disabled_at: disabled ? ctx.now : null, updated_at: ctx.now })
      .where('client_id', '=', clientId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: disabled ? 'oidc.client.disable' : 'oidc.client.enable',
      target: `oidc-client:${clientId}`,
      ip: ctx.ip,
    });
    return { client: clientView(row), changed: true };
  });
}

/**
 * A new secret for a confidential client (shown once; the old one stops working at once). A public
 * client (no secret) is refused with ERR_INPUT_INVALID. Audited `oidc.client.secret.rotate`.
 */
export async function rotateOidcClientSecret(
  db: Db,
  clientId: string,
  ctx: ChangeContext,
): Promise<{ client: OidcClientView; clientSecret: string }> {
  return inTransaction(db, async (trx) => {
    const current = await lockClient(trx, clientId);
    if (current.token_endpoint_auth_method === 'none')
      throw new GongjikError('ERR_INPUT_INVALID', { field: 'tokenEndpointAuthMethod' });
    const clientSecret = randomToken('gjcs');
    const row = await trx
      .updateTable('oidc_clients')
      .set({ secret_hash: hashSecret(clientSecret), updated_at: ctx.now })
      .where('client_id', '=', clientId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'oidc.client.secret.rotate',
      target: `oidc-client:${clientId}`,
      ip: ctx.ip,
    });
    return { client: clientView(row), clientSecret };
  });
}
