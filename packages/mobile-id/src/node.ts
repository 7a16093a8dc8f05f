// Node-only entry (`@gongjik/mobile-id/node`): synchronous node:crypto paths for hot loops.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { GongjikError } from '@gongjik/errors';
import { decide, type GateDecision, type GateStation, gateVerifyOptions } from './gate/station.ts';
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
import type { SeenCache } from './seen-cache.ts';

// Imported public keys by coordinates (issuer keys, and device keys taken from issuer-verified
// credentials); cleared when it reaches 4,096.
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
    if (keyCache.size >= 4096) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

function es256Verify(key: KeyObject, signingInput: string, signature: Uint8Array): boolean {
  return verify('sha256', Buffer.from(signingInput, 'latin1'), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

/**
 * Issuer signatures already verified, by key + exact signed text + signature. A holder presents the
 * same gate credential and the same unlock token (valid for hours) at every scan; only the device
 * proof is new each time. Verifying identical bytes with the same key again can only give the same
 * answer, so a hit skips one ECDSA verification; failures are never cached. Bounded.
 */
const verifiedIssuerSignatures = new Set<string>();
const MAX_VERIFIED = 20_000;

function issuerVerify(jwk: P256PublicJwk, signingInput: string, signature: Uint8Array): boolean {
  const id = `${jwk.x}.${jwk.y}.${signingInput}.${Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64url')}`;
  if (verifiedIssuerSignatures.has(id)) return true;
  if (!es256Verify(publicKeyOf(jwk, true), signingInput, signature)) return false;
  if (verifiedIssuerSignatures.size >= MAX_VERIFIED) verifiedIssuerSignatures.clear();
  verifiedIssuerSignatures.add(id);
  return true;
}

/** Forgets the verified issuer signatures (benchmarks measure the cold path with it). */
export function clearVerifiedSignatureCache(): void {
  verifiedIssuerSignatures.clear();
}

/** RFC 7638 thumbprint of a P-256 key (members in lexicographic order), synchronously. */
export function jwkThumbprintSync(jwk: P256PublicJwk): string {
  const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/**
 * Synchronous gate verification with node:crypto (same checks and codes as
 * `verifyGatePresentation`); issuer and device keys are cached as KeyObjects (device keys come from issuer-signed credentials), and issuer signatures already verified are remembered.
 */
export function verifyGatePresentationSync(qr: string, options: GateVerifyOptions): GateFacts {
  const step = gateStep1(qr, options);
  const { credential, proof } = step.parsed;
  if (!issuerVerify(step.issuerJwk, credential.signingInput, credential.signature)) {
    throw new GongjikError('ERR_MID_SIGNATURE_INVALID');
  }
  const deviceJwk = gateStep2(step, options);
  if (!es256Verify(publicKeyOf(deviceJwk, true), proof.signingInput, proof.signature)) {
    throw new GongjikError('ERR_MID_DEVICE_PROOF_INVALID');
  }
  let unlockExp: number | undefined;
  const unlock = gateUnlockStep1(step, options);
  if (unlock) {
    if (!issuerVerify(unlock.issuerJwk, unlock.jws.signingInput, unlock.jws.signature)) {
      throw new GongjikError('ERR_MID_SIGNATURE_INVALID');
    }
    unlockExp = gateUnlockStep2(unlock, jwkThumbprintSync(deviceJwk), options);
  }
  const digest = createHash('sha256').update(step.parsed.credentialText, 'latin1').digest();
  const facts = gateStep3(step, digest, options);
  return unlockExp === undefined ? facts : { ...facts, unlockExp };
}

/** A gate's whole offline decision (verification with `requireUnlock`, replay, status, zone policy), synchronously. */
export function decideAtGateSync(
  qr: string,
  station: GateStation,
  now: Date,
  seenCache: SeenCache,
): GateDecision {
  return decide(station, now, () =>
    verifyGatePresentationSync(qr, gateVerifyOptions(station, now, seenCache)),
  );
}
