// OpenID4VCI pre-authorized-code offers: made when a request is approved and its identity checked;
// the install link (SMS 1) carries the offer id, which is also the pre-authorized code; the
// one-time code (tx_code, SMS 2) is sent separately. Both are stored hashed.
import { randomBytes, randomInt } from 'node:crypto';
import type { MidOffer, MidRequest, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import {
  buildCredentialOffer,
  buildTokenResponse,
  type CredentialOffer,
  GATE_CONFIGURATION,
  OFFICIAL_ID_CONFIGURATION,
  type TokenResponse,
} from '@gongjik/mobile-id';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { hashCode, randomToken, sha256Hex, verifyCode } from '../secrets.ts';
import type { MidSettings } from './settings.ts';
import { maskMobile, queueSms } from './sms.ts';

export const TX_CODE_LENGTH = 6;
/** Access tokens from the token endpoint live this long (issuance, preview and the first PIN). */
export const ACCESS_TOKEN_TTL_SECONDS = 900;

const OFFER_ID = /^[A-Za-z0-9_-]{43}$/;

export const offerUrl = (issuer: string, offerId: string) => `${issuer}/api/v1/mid/offers/${offerId}`;

/** The link in the SMS: the wallet origin with the offer by reference (OpenID4VCI credential_offer_uri). */
export const installUrl = (settings: Pick<MidSettings, 'walletUrl' | 'issuer'>, offerId: string) =>
  `${settings.walletUrl}/install?credential_offer_uri=${encodeURIComponent(offerUrl(settings.issuer, offerId))}`;

const kstDateTime = (d: Date) =>
  new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Makes the offer of an approved, identity-checked request and queues its two messages (install
 * link; one-time code). Call it in the request's transaction. Returns the offer row.
 */
export async function createOffer(
  trx: Db,
  request: MidRequest,
  person: Person,
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<MidOffer> {
  if (!person.mobile) throw new GongjikError('ERR_MID_NO_MOBILE');
  const offerId = randomBytes(32).toString('base64url');
  const txCode = String(randomInt(0, 10 ** TX_CODE_LENGTH)).padStart(TX_CODE_LENGTH, '0');
  const expiresAt = new Date(ctx.now.getTime() + settings.offerTtlMs);
  const offer = await trx
    .insertInto('mid_offers')
    .values({
      request_id: request.id,
      code_hash: sha256Hex(offerId),
      tx_code_hash: await hashCode(txCode),
      max_tx_attempts: settings.txCodeMaxAttempts,
      created_at: ctx.now,
      expires_at: expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const ref = `mid-request:${request.id}`;
  await queueSms(
    trx,
    {
      recipient: person.mobile,
      kind: 'mid-install',
      ref,
      body: `[공직] ${person.real_name}님의 모바일 공무원증이 준비되었습니다. 설치: ${installUrl(settings, offerId)} (${kstDateTime(expiresAt)}까지)`,
    },
    settings.sms,
    ctx,
  );
  await queueSms(
    trx,
    {
      recipient: person.mobile,
      kind: 'mid-code',
      ref,
      body: `[공직] 모바일 공무원증 일회용 코드 ${txCode} — 설치 화면에만 입력하고 누구에게도 알려주지 마십시오.`,
    },
    settings.sms,
    ctx,
  );
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'mid.offer.create',
    target: `person:${person.employee_number}`,
    details: {
      request: request.id,
      offer: offer.id,
      expiresAt: expiresAt.toISOString(),
      to: maskMobile(person.mobile),
    },
    ip: ctx.ip,
  });
  return offer;
}

async function offerByCode(db: Db, code: string, forUpdate: boolean): Promise<MidOffer> {
  if (!OFFER_ID.test(code)) throw new GongjikError('ERR_MID_OFFER_UNKNOWN');
  let q = db.selectFrom('mid_offers').selectAll().where('code_hash', '=', sha256Hex(code));
  if (forUpdate) q = q.forUpdate();
  const offer = await q.executeTakeFirst();
  if (!offer) throw new GongjikError('ERR_MID_OFFER_UNKNOWN');
  return offer;
}

function assertOfferOpen(offer: MidOffer, now: Date): void {
  if (offer.invalidated_at) throw new GongjikError('ERR_MID_OFFER_USED');
  if (offer.redeemed_at) throw new GongjikError('ERR_MID_OFFER_USED');
  if (offer.expires_at.getTime() <= now.getTime()) throw new GongjikError('ERR_MID_OFFER_EXPIRED');
}

/** The credential offer behind an install link (GET /api/v1/mid/offers/{id}). */
export async function serveOffer(
  db: Db,
  offerId: string,
  issuer: string,
  now: Date,
): Promise<CredentialOffer> {
  const offer = await offerByCode(db, offerId, false);
  assertOfferOpen(offer, now);
  return buildCredentialOffer({
    issuer,
    configurationIds: [OFFICIAL_ID_CONFIGURATION, GATE_CONFIGURATION],
    preAuthorizedCode: offerId,
    txCodeLength: TX_CODE_LENGTH,
  });
}

/**
 * The token endpoint: exchanges the pre-authorized code and the one-time code for an access token.
 * A wrong code counts (kept even though the request fails); at the limit the offer is cancelled
 * (ERR_MID_TX_CODE_LOCKED). A used offer → ERR_MID_OFFER_USED; an expired one →
 * ERR_MID_OFFER_EXPIRED (and the request becomes `expired`). Every outcome is audited.
 */
export async function redeemOffer(
  db: Db,
  input: { preAuthorizedCode: string; txCode: string | undefined },
  ctx: ChangeContext,
): Promise<TokenResponse> {
  const r = await inTransaction(db, async (trx) => {
    const offer = await offerByCode(trx, input.preAuthorizedCode, true);
    const request = await trx
      .selectFrom('mid_requests')
      .selectAll()
      .where('id', '=', offer.request_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const target = `person:${request.employee_number}`;
    const refuse = async (
      code:
        | 'ERR_MID_OFFER_USED'
        | 'ERR_MID_OFFER_EXPIRED'
        | 'ERR_MID_TX_CODE_INVALID'
        | 'ERR_MID_TX_CODE_LOCKED',
      details: Record<string, unknown> = {},
    ) => {
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: 'mid.offer.redeem',
        target,
        outcome: 'refused',
        code,
        details: { request: request.id, offer: offer.id, ...details },
        ip: ctx.ip,
      });
      return { error: new GongjikError(code) };
    };
    if (offer.invalidated_at) {
      return refuse(
        request.cancel_reason === 'tx-code-attempts' ? 'ERR_MID_TX_CODE_LOCKED' : 'ERR_MID_OFFER_USED',
      );
    }
    if (offer.redeemed_at) return refuse('ERR_MID_OFFER_USED');
    if (offer.expires_at.getTime() <= ctx.now.getTime()) {
      await expireRequest(trx, request, ctx);
      return refuse('ERR_MID_OFFER_EXPIRED');
    }
    const ok = input.txCode !== undefined && (await verifyCode(input.txCode, offer.tx_code_hash));
    if (!ok) {
      const attempts = offer.tx_attempts + 1;
      const locked = attempts >= offer.max_tx_attempts;
      await trx
        .updateTable('mid_offers')
        .set({ tx_attempts: attempts, ...(locked ? { invalidated_at: ctx.now } : {}) })
        .where('id', '=', offer.id)
        .execute();
      if (locked) {
        await trx
          .updateTable('mid_requests')
          .set({
            state: 'cancelled',
            cancelled_at: ctx.now,
            cancelled_by: 'system:mobile-id',
            cancel_reason: 'tx-code-attempts',
            updated_at: ctx.now,
          })
          .where('id', '=', request.id)
          .execute();
        return refuse('ERR_MID_TX_CODE_LOCKED', { attempts });
      }
      return refuse('ERR_MID_TX_CODE_INVALID', { attempts, remaining: offer.max_tx_attempts - attempts });
    }
    const accessToken = randomToken('gjat');
    await trx
      .updateTable('mid_offers')
      .set({
        redeemed_at: ctx.now,
        access_token_hash: sha256Hex(accessToken),
        access_expires_at: new Date(ctx.now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000),
      })
      .where('id', '=', offer.id)
      .execute();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mid.offer.redeem',
      target,
      details: { request: request.id, offer: offer.id },
      ip: ctx.ip,
    });
    return { token: buildTokenResponse(accessToken, ACCESS_TOKEN_TTL_SECONDS) };
  });
  if ('error' in r) throw r.error;
  return r.token;
}

/** Marks an offered request expired (its offer ran out), audited. */
export async function expireRequest(trx: Db, request: MidRequest, ctx: ChangeContext): Promise<void> {
  if (request.state !== 'offered') return;
  await trx
    .updateTable('mid_requests')
    .set({ state: 'expired', expired_at: ctx.now, updated_at: ctx.now })
    .where('id', '=', request.id)
    .execute();
  await audit(trx, {
    at: ctx.now,
    actor: 'system:mobile-id',
    action: 'mid.request.expire',
    target: `person:${request.employee_number}`,
    details: { request: request.id },
    ip: ctx.ip,
  });
}

/** The offer (and its request) an access token was issued for, or ERR_MID_TOKEN_INVALID. */
export async function offerByAccessToken(
  db: Db,
  token: string | undefined,
  now: Date,
  forUpdate = false,
): Promise<{ offer: MidOffer; request: MidRequest }> {
  if (!token || !/^gjat_[A-Za-z0-9_-]{43}$/.test(token)) throw new GongjikError('ERR_MID_TOKEN_INVALID');
  let q = db.selectFrom('mid_offers').selectAll().where('access_token_hash', '=', sha256Hex(token));
  if (forUpdate) q = q.forUpdate();
  const offer = await q.executeTakeFirst();
  const expiresAt = offer?.access_expires_at?.getTime() ?? 0;
  if (!offer || expiresAt <= now.getTime() || offer.invalidated_at) {
    throw new GongjikError('ERR_MID_TOKEN_INVALID');
  }
  const request = await db
    .selectFrom('mid_requests')
    .selectAll()
    .where('id', '=', offer.request_id)
    .executeTakeFirstOrThrow();
  if (request.state === 'cancelled' || request.state === 'rejected')
    throw new GongjikError('ERR_MID_TOKEN_INVALID');
  return { offer, request };
}
