// Node-only entry (`@gongjik/mobile-id/node`): synchronous node:crypto paths for hot loops.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { GongjikError } from '@gongjik/errors';
import {
  type GateFacts,
  type GateVerifyOptions,
  gateStep1,
  gateStep2,
  gateStep3,
  gateUnlockStep1,
  gateUnlockStep2,
} from './gate/verify.ts';
import type { P256PublicJwk } from './keys/jwk.ts';

const keyCache = new Map<string, KeyObject>();

function publicKeyOf(jwk: P256PublicJwk, cache: boolean): KeyObject {
  const id = `${jwk.x}.${jwk.y}`;
  const hit = keyCache.get(id);
  if (hit) return hit;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
  } catch (cause) {
    throw new GongjikError('ERR_MID_KEY_INVALID', {}, { cause });
  }
  if (cache) {
    if (keyCache.size >= 256) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

function es256Verify(key: KeyObject, signingInput: string, signature: Uint8Array): boolean {
  return verify('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** RFC 7638 thumbprint of a P-256 key (members in lexicographic order), synchronously. */
export function jwkThumbprintSync(jwk: P256PublicJwk): string {
  const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/**
 * Synchronous gate verification with node:crypto (same checks and codes as
 * `verifyGatePresentation`); issuer keys are cached as KeyObjects.
 */
export function verifyGatePresentationSync(qr: string, options: GateVerifyOptions): GateFacts {
  const step = gateStep1(qr, options);
  const { credential, proof } = step.parsed;
  if (!es256Verify(publicKeyOf(step.issuerJwk, true), credential.signingInput, credential.signature)) {
    throw new GongjikError('ERR_MID_SIGNATURE_INVALID');
  }
  const deviceJwk = gateStep2(step, options);
  if (!es256Verify(publicKeyOf(deviceJwk, false), proof.signingInput, proof.signature)) {
    throw new GongjikError('ERR_MID_DEVICE_PROOF_INVALID');
  }
  let unlockExp: number | undefined;
  const unlock = gateUnlockStep1(step, options);
  if (unlock) {
    if (!es256Verify(publicKeyOf(unlock.issuerJwk, true), unlock.jws.signingInput, unlock.jws.signature)) {
      throw new GongjikError('ERR_MID_SIGNATURE_INVALID');
    }
    unlockExp = gateUnlockStep2(unlock, jwkThumbprintSync(deviceJwk), options);
  }
  const digest = createHash('sha256').update(step.parsed.credentialText, 'latin1').digest();
  const facts = gateStep3(step, digest, options);
  return unlockExp === undefined ? facts : { ...facts, unlockExp };
}
