// Biometrics bound on the issuer, with WebAuthn. Enrolment: the issuer's registration options
// (asked for with the PIN) → a platform credential (user verification required) → its attestation
// goes back to the issuer, which binds it to the card. Unlock: the issuer's single-use challenge →
// an assertion → the issuer verifies it (origin, RP ID, user verified, signature, counter) and
// answers with the same unlock token as the PIN. This file only moves the options and the
// responses between the issuer's JSON (base64url) and the browser's ArrayBuffers; every check is
// the issuer's (apps/server/src/domain/mobile-id/webauthn.ts).

export class BiometricError extends Error {
  constructor(reason: string) {
    super(`biometrics: ${reason}`);
    this.name = 'BiometricError';
  }
}

export function toB64u(buffer: ArrayBuffer | Uint8Array): string {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64u(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new BiometricError('base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type Json = Record<string, unknown>;

function obj(value: unknown, what: string): Json {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BiometricError(what);
  return value as Json;
}

function text(o: Json, key: string): string {
  if (typeof o[key] !== 'string') throw new BiometricError(key);
  return o[key] as string;
}

function descriptors(value: unknown): PublicKeyCredentialDescriptor[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BiometricError('credentials');
  return value.map((d) => ({ type: 'public-key' as const, id: fromB64u(text(obj(d, 'credential'), 'id')) }));
}

/** The issuer's registration options (JSON) → what navigator.credentials.create() takes. */
export function creationOptions(json: unknown): PublicKeyCredentialCreationOptions {
  const o = obj(json, 'options');
  const rp = obj(o.rp, 'rp');
  const user = obj(o.user, 'user');
  const params = Array.isArray(o.pubKeyCredParams) ? o.pubKeyCredParams : [];
  return {
    rp: { id: text(rp, 'id'), name: text(rp, 'name') },
    user: {
      id: fromB64u(text(user, 'id')),
      name: text(user, 'name'),
      displayName: text(user, 'displayName'),
    },
    challenge: fromB64u(text(o, 'challenge')),
    pubKeyCredParams: params.map((p) => ({ type: 'public-key' as const, alg: Number(obj(p, 'param').alg) })),
    excludeCredentials: descriptors(o.excludeCredentials),
    // Whatever the options say, the wallet asks for a platform authenticator that verifies the user.
    authenticatorSelection: {
      authenticatorAttachment: 'platform',
      userVerification: 'required',
      residentKey: 'discouraged',
    },
    attestation: 'none',
    timeout: typeof o.timeout === 'number' ? o.timeout : 120_000,
  };
}

/** The issuer's authentication options (JSON) → what navigator.credentials.get() takes. */
export function requestOptions(json: unknown): PublicKeyCredentialRequestOptions {
  const o = obj(json, 'options');
  return {
    challenge: fromB64u(text(o, 'challenge')),
    rpId: text(o, 'rpId'),
    allowCredentials: descriptors(o.allowCredentials),
    userVerification: 'required',
    timeout: typeof o.timeout === 'number' ? o.timeout : 120_000,
  };
}

/** A platform authenticator that can verify the user (fingerprint, face, device PIN) is present. */
export async function platformAuthenticatorAvailable(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined' || !window.isSecureContext) return false;
  try {
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** Creates the platform credential; returns the registration response the issuer verifies. */
export async function createCredential(optionsJson: unknown): Promise<Json> {
  const credential = (await navigator.credentials.create({
    publicKey: creationOptions(optionsJson),
  })) as PublicKeyCredential | null;
  if (!credential) throw new BiometricError('no credential');
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: toB64u(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: toB64u(response.clientDataJSON),
      attestationObject: toB64u(response.attestationObject),
      transports: response.getTransports?.() ?? [],
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}

/** Asks the authenticator to verify the holder; returns the assertion the issuer verifies. */
export async function getAssertion(optionsJson: unknown): Promise<Json> {
  const credential = (await navigator.credentials.get({
    publicKey: requestOptions(optionsJson),
  })) as PublicKeyCredential | null;
  if (!credential) throw new BiometricError('no assertion');
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: toB64u(credential.rawId),
    type: 'public-key',
    response: {
      clientDataJSON: toB64u(response.clientDataJSON),
      authenticatorData: toB64u(response.authenticatorData),
      signature: toB64u(response.signature),
      ...(response.userHandle ? { userHandle: toB64u(response.userHandle) } : {}),
    },
    clientExtensionResults: {},
    authenticatorAttachment: 'platform',
  };
}
