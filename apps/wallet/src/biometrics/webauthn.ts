// Biometrics as a local user-verification gate, with WebAuthn: at enrolment the wallet creates a
// platform credential (user verification required) and keeps its public key; before each unlock
// it asks for an assertion with a fresh challenge and checks it here — client data (type,
// challenge, origin), authenticator data (RP ID hash, user present AND user verified flags) and
// the ECDSA signature. Only then does the PIN go to the issuer, which remains the one that decides
// (it counts the failures). The issuer has no WebAuthn endpoint, so this gate is local: it adds a
// factor on the phone; it is not a server-checked one (see docs/ARCHITECTURE.md, wallet).

export interface BiometricEnrolment {
  /** The credential's raw id. */
  readonly credentialId: ArrayBuffer;
  /** Its ES256 public key, imported for `verify` (stored as a CryptoKey by structured clone). */
  readonly publicKey: CryptoKey;
  readonly rpId: string;
}

const ES256 = -7;
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

export class BiometricError extends Error {
  constructor(reason: string) {
    super(`biometrics: ${reason}`);
    this.name = 'BiometricError';
  }
}

function random(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

function b64u(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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

/** Creates the platform credential for this wallet (user verification required). */
export async function enrolBiometrics(user: {
  name: string;
  displayName: string;
}): Promise<BiometricEnrolment> {
  const rpId = window.location.hostname;
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { id: rpId, name: '모바일 공무원증' },
      user: { id: random(16), name: user.name, displayName: user.displayName },
      challenge: random(32),
      pubKeyCredParams: [{ type: 'public-key', alg: ES256 }],
      authenticatorSelection: {
        authenticatorAttachment: 'platform',
        userVerification: 'required',
        residentKey: 'discouraged',
      },
      attestation: 'none',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new BiometricError('no credential');
  const response = credential.response as AuthenticatorAttestationResponse;
  if (response.getPublicKeyAlgorithm() !== ES256) throw new BiometricError('algorithm');
  const spki = response.getPublicKey();
  if (!spki) throw new BiometricError('no public key');
  const flags = new Uint8Array(response.getAuthenticatorData())[32]!;
  if ((flags & FLAG_UV) === 0) throw new BiometricError('user not verified');
  const publicKey = await crypto.subtle.importKey(
    'spki',
    spki,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  return { credentialId: credential.rawId, publicKey, rpId };
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` → the 64-byte r‖s WebCrypto verifies. */
export function derToRawSignature(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const fail = () => {
    throw new BiometricError('signature encoding');
  };
  if (der[0] !== 0x30 || der.length < 8) fail();
  let i = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2;
  const out = new Uint8Array(64);
  for (let part = 0; part < 2; part++) {
    if (der[i] !== 0x02) fail();
    const len = der[i + 1]!;
    let int = der.subarray(i + 2, i + 2 + len);
    if (int.length !== len) fail();
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32) fail();
    out.set(int, part * 32 + (32 - int.length));
    i += 2 + len;
  }
  return out;
}

/**
 * Asks the platform authenticator to verify the user and checks the assertion. Resolves when the
 * holder passed; rejects (BiometricError, or the browser's NotAllowedError) otherwise.
 */
export async function verifyBiometrics(enrolment: BiometricEnrolment): Promise<void> {
  const challenge = random(32);
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge,
      rpId: enrolment.rpId,
      allowCredentials: [{ type: 'public-key', id: enrolment.credentialId }],
      userVerification: 'required',
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new BiometricError('no assertion');
  const response = credential.response as AuthenticatorAssertionResponse;
  const clientDataBytes = new Uint8Array(response.clientDataJSON);
  const clientData = JSON.parse(new TextDecoder().decode(clientDataBytes)) as Record<string, unknown>;
  if (clientData.type !== 'webauthn.get') throw new BiometricError('type');
  if (clientData.challenge !== b64u(challenge)) throw new BiometricError('challenge');
  if (clientData.origin !== window.location.origin) throw new BiometricError('origin');
  const authData = new Uint8Array(response.authenticatorData);
  if (authData.length < 37) throw new BiometricError('authenticator data');
  const rpIdHash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(enrolment.rpId)),
  );
  if (!rpIdHash.every((b, k) => authData[k] === b)) throw new BiometricError('rp id');
  const flags = authData[32]!;
  if ((flags & FLAG_UP) === 0 || (flags & FLAG_UV) === 0) throw new BiometricError('user not verified');
  const clientHash = new Uint8Array(await crypto.subtle.digest('SHA-256', clientDataBytes));
  const signed = new Uint8Array(authData.length + clientHash.length);
  signed.set(authData);
  signed.set(clientHash, authData.length);
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    enrolment.publicKey,
    derToRawSignature(new Uint8Array(response.signature)),
    signed,
  );
  if (!ok) throw new BiometricError('signature');
}
