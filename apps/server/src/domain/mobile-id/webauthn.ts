// The wallet's biometric unlock, verified by the issuer (WebAuthn, DESIGN flow 7: "or a WebAuthn
// user-verification step"). Enrolment needs the PIN: the wallet sends a PIN proof (checked and
// counted like an unlock) and gets registration options; the platform credential it then creates is
// verified (origin and RP ID of the wallet, user verification) and bound to that card — one per
// card, a new enrolment replaces the old. Unlocking with it is an assertion over a single-use
// challenge, verified with the stored public key and signature counter; a verified one earns the
// same unlock token as the right PIN, one that does not verify counts as a wrong PIN.
// @simplewebauthn/server does the CBOR/COSE/attestation and assertion checks; challenges, binding
// to the card, counting and locking are ours.
import { createHash, randomBytes } from 'node:crypto';
import type { MidCard, MidWebauthnCredential, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { verifySignature } from '@simplewebauthn/server/helpers';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { sha256Hex } from '../secrets.ts';
import { assertUsable, cardByJkt, checkProof, grantUnlock, recordFailure, withPin } from './pin.ts';
import type { MidSettings } from './settings.ts';

const CHALLENGE_TTL_MS = 2 * 60_000;
const ES256 = -7;
const MAX_FIELD = 16_384;
type Purpose = 'register' | 'unlock';

/** The wallet's origin and RP ID (its host name), from GONGJIK_MID_WALLET_URL. */
export function walletRelyingParty(settings: Pick<MidSettings, 'walletUrl'>): {
  origin: string;
  rpId: string;
} {
  const url = new URL(settings.walletUrl);
  return { origin: url.origin, rpId: url.hostname };
}

async function newChallenge(db: Db, purpose: Purpose, cardId: string, now: Date): Promise<string> {
  const challenge = randomBytes(32).toString('base64url');
  await db
    .insertInto('mid_webauthn_challenges')
    .values({
      challenge_hash: sha256Hex(challenge),
      purpose,
      card_id: cardId,
      created_at: now,
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS),
    })
    .execute();
  return challenge;
}

/** The challenge inside clientDataJSON (unverified: it is only used to find and use up ours). */
function challengeOf(clientDataJSON: unknown): string {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > MAX_FIELD)
    throw new GongjikError('ERR_MID_MALFORMED', { part: 'clientDataJSON' });
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    if (typeof data.challenge === 'string' && data.challenge.length <= 128) return data.challenge;
  } catch {
    // below
  }
  throw new GongjikError('ERR_MID_MALFORMED', { part: 'clientDataJSON' });
}

/** Uses up the challenge: single use, unexpired, this purpose, this card. */
async function consumeChallenge(db: Db, challenge: string, purpose: Purpose, cardId: string, now: Date) {
  const r = await db
    .updateTable('mid_webauthn_challenges')
    .set({ used_at: now })
    .where('challenge_hash', '=', sha256Hex(challenge))
    .where('purpose', '=', purpose)
    .where('card_id', '=', cardId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new GongjikError('ERR_MID_WEBAUTHN_CHALLENGE');
}

function asResponse<T>(value: unknown): T {
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { id?: unknown }).id !== 'string' ||
    (value as { id: string }).id.length > 1024 ||
    typeof (value as { response?: unknown }).response !== 'object'
  )
    throw new GongjikError('ERR_MID_MALFORMED', { part: 'WebAuthn response' });
  return value as T;
}

async function personOf(db: Db, card: MidCard): Promise<Person> {
  return db.selectFrom('people').selectAll().where('id', '=', card.person_id).executeTakeFirstOrThrow();
}

function liveCredential(db: Db, cardId: string) {
  return db
    .selectFrom('mid_webauthn_credentials')
    .selectAll()
    .where('card_id', '=', cardId)
    .where('removed_at', 'is', null);
}

/**
 * POST /api/v1/mid/webauthn/register/options {proof}: the PIN (a PIN proof with act `unlock`,
 * checked and counted as for an unlock) → registration options for a platform credential.
 */
export async function registrationOptions(db: Db, proof: unknown, settings: MidSettings, ctx: ChangeContext) {
  const checked = await checkProof(db, proof, settings, ctx.now);
  if (checked.action !== 'unlock') throw new GongjikError('ERR_MID_MALFORMED', { part: 'PIN proof act' });
  const { rpId } = walletRelyingParty(settings);
  return withPin(db, checked, settings, ctx, async (trx, card) => {
    const challenge = await newChallenge(trx, 'register', card.id, ctx.now);
    return generateRegistrationOptions({
      rpName: '모바일 공무원증',
      rpID: rpId,
      userName: checked.person.employee_number,
      userDisplayName: checked.person.real_name,
      userID: Buffer.from(card.id),
      challenge: Buffer.from(challenge, 'base64url'),
      attestationType: 'none',
      authenticatorSelection: {
        authenticatorAttachment: 'platform',
        userVerification: 'required',
        residentKey: 'discouraged',
      },
      supportedAlgorithmIDs: [ES256],
      timeout: CHALLENGE_TTL_MS,
    });
  });
}

/**
 * POST /api/v1/mid/webauthn/register {jkt, response}: verifies the new credential (challenge of this
 * card, the wallet's origin and RP ID, user verified, ES256) and binds it to the card, replacing
 * an earlier one. Audited `mid.webauthn.register`.
 */
export async function registerCredential(
  db: Db,
  input: { jkt: string; response: unknown },
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<{ credentialId: string }> {
  const card = await cardByJkt(db, input.jkt, false);
  assertUsable(card);
  const response = asResponse<RegistrationResponseJSON>(input.response);
  const challenge = challengeOf(response.response?.clientDataJSON);
  await consumeChallenge(db, challenge, 'register', card.id, ctx.now);
  const { origin, rpId } = walletRelyingParty(settings);
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: [ES256],
    });
  } catch {
    throw new GongjikError('ERR_MID_WEBAUTHN_REGISTRATION_INVALID');
  }
  if (!verified.verified || !verified.registrationInfo)
    throw new GongjikError('ERR_MID_WEBAUTHN_REGISTRATION_INVALID');
  const { credential } = verified.registrationInfo;
  const person = await personOf(db, card);
  return inTransaction(db, async (trx) => {
    const locked = await trx
      .selectFrom('mid_cards')
      .selectAll()
      .where('id', '=', card.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    assertUsable(locked);
    await trx
      .updateTable('mid_webauthn_credentials')
      .set({ removed_at: ctx.now })
      .where('card_id', '=', card.id)
      .where('removed_at', 'is', null)
      .execute();
    const inserted = await trx
      .insertInto('mid_webauthn_credentials')
      .values({
        id: credential.id,
        card_id: card.id,
        public_key: credential.publicKey,
        counter: credential.counter,
        transports: JSON.stringify(credential.transports ?? []),
        created_at: ctx.now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    // the same authenticator credential enrolled for another card (or twice): refused
    if (!inserted) throw new GongjikError('ERR_MID_WEBAUTHN_REGISTRATION_INVALID');
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mid.webauthn.register',
      target: `person:${person.employee_number}`,
      details: { card: card.id, credential: credential.id.slice(0, 16) },
      ip: ctx.ip,
    });
    return { credentialId: credential.id };
  });
}

/** POST /api/v1/mid/webauthn/unlock/options {jkt}: a single-use challenge for the card's credential. */
export async function authenticationOptions(db: Db, jkt: string, settings: MidSettings, now: Date) {
  const card = await cardByJkt(db, jkt, false);
  assertUsable(card);
  const credential = await liveCredential(db, card.id).executeTakeFirst();
  if (!credential) throw new GongjikError('ERR_MID_WEBAUTHN_NOT_ENROLLED');
  const challenge = await newChallenge(db, 'unlock', card.id, now);
  return generateAuthenticationOptions({
    rpID: walletRelyingParty(settings).rpId,
    challenge: Buffer.from(challenge, 'base64url'),
    allowCredentials: [{ id: credential.id, transports: credential.transports as never }],
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
  });
}

/** Is the assertion signed by this credential's key at all (over authenticatorData ‖ SHA-256(clientDataJSON))? */
async function signedByCredential(
  response: AuthenticationResponseJSON,
  publicKey: Uint8Array,
): Promise<boolean> {
  const r = response.response as unknown as Record<string, unknown>;
  const field = (k: string) => {
    const v = r[k];
    if (typeof v !== 'string' || v.length > MAX_FIELD)
      throw new GongjikError('ERR_MID_MALFORMED', { part: k });
    return Buffer.from(v, 'base64url');
  };
  const data = Buffer.concat([
    field('authenticatorData'),
    createHash('sha256').update(field('clientDataJSON')).digest(),
  ]);
  try {
    return await verifySignature({
      signature: new Uint8Array(field('signature')),
      data: new Uint8Array(data),
      credentialPublicKey: new Uint8Array(publicKey),
    });
  } catch {
    return false;
  }
}

/**
 * POST /api/v1/mid/webauthn/unlock {jkt, response}: the assertion must answer an unused challenge
 * of this card with this card's credential; then signature, origin, RP ID, UP + UV flags and the
 * counter are verified. Verified → the unlock token (as for the PIN).
 *
 * What counts as a failed attempt (like a wrong PIN; the limit locks the card): an assertion really
 * made by the card's authenticator (its signature verifies) that fails a check — no user
 * verification, a counter that did not grow (a cloned authenticator), another origin or RP ID. Not
 * counted, but refused: a credential that is not the card's (ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL)
 * and a signature that does not verify (ERR_MID_WEBAUTHN_INVALID) — anyone who knows the card's
 * thumbprint and credential id could send those, and must not be able to lock the holder out.
 */
export async function unlockWithWebauthn(
  db: Db,
  input: { jkt: string; response: unknown },
  settings: MidSettings,
  ctx: ChangeContext,
): Promise<{ unlockToken: string; expiresAt: string }> {
  const card = await cardByJkt(db, input.jkt, false);
  assertUsable(card);
  const response = asResponse<AuthenticationResponseJSON>(input.response);
  const challenge = challengeOf(response.response?.clientDataJSON);
  await consumeChallenge(db, challenge, 'unlock', card.id, ctx.now);
  const credential: MidWebauthnCredential | undefined = await liveCredential(db, card.id)
    .where('id', '=', response.id)
    .executeTakeFirst();
  if (!credential) throw new GongjikError('ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL');
  const person = await personOf(db, card);
  if (!(await signedByCredential(response, credential.public_key))) {
    await audit(db, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'mid.webauthn.unlock',
      target: `person:${person.employee_number}`,
      outcome: 'refused',
      code: 'ERR_MID_WEBAUTHN_INVALID',
      details: { card: card.id, counted: false, reason: 'signature' },
      ip: ctx.ip,
    });
    throw new GongjikError('ERR_MID_WEBAUTHN_INVALID', {
      remaining: Math.max(settings.pinMaxFailures - card.pin_failures, 0),
    });
  }
  const { origin, rpId } = walletRelyingParty(settings);
  let newCounter: number | null = null;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpId,
      requireUserVerification: true,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(credential.public_key),
        counter: Number(credential.counter),
      },
    });
    if (verified.verified && verified.authenticationInfo.userVerified)
      newCounter = verified.authenticationInfo.newCounter;
  } catch {
    newCounter = null;
  }
  const r = await inTransaction(db, async (trx) => {
    const locked = await trx
      .selectFrom('mid_cards')
      .selectAll()
      .where('id', '=', card.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    assertUsable(locked);
    if (newCounter === null) {
      return {
        error: await recordFailure(
          trx,
          locked,
          person,
          settings,
          ctx,
          'mid.webauthn.unlock',
          'ERR_MID_WEBAUTHN_INVALID',
        ),
      };
    }
    // the counter check again under the lock: two assertions verified at once cannot both pass
    const moved = await trx
      .updateTable('mid_webauthn_credentials')
      .set({ counter: newCounter, last_used_at: ctx.now })
      .where('id', '=', credential.id)
      .where('removed_at', 'is', null)
      .where((eb) => eb.or([eb('counter', '<', newCounter as number), eb('counter', '=', 0)]))
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1)
      return {
        error: await recordFailure(
          trx,
          locked,
          person,
          settings,
          ctx,
          'mid.webauthn.unlock',
          'ERR_MID_WEBAUTHN_INVALID',
        ),
      };
    return { ok: await grantUnlock(trx, locked, person, settings, ctx, 'webauthn') };
  });
  if ('error' in r) throw r.error;
  return r.ok;
}

/** Whether the card has a live biometric credential. */
export async function webauthnEnrolled(db: Db, cardId: string): Promise<boolean> {
  return (await liveCredential(db, cardId).executeTakeFirst()) !== undefined;
}
