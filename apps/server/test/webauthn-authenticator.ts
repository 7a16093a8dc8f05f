// A software WebAuthn platform authenticator for the server tests: makes the registration and
// assertion responses a browser would send (fmt "none", ES256), with knobs to break them (origin,
// user verification, counter, signature). Independent of @simplewebauthn (which the server uses):
// CBOR, COSE and authenticator data are written here from the WebAuthn Level 3 layouts.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

/** The few CBOR types a COSE key and an attestation object need. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

export interface Tweaks {
  readonly origin?: string;
  readonly rpId?: string;
  readonly userVerified?: boolean;
  readonly type?: string;
  /** sign with this key instead (a forged assertion) */
  readonly signWith?: KeyObject;
  /** use this counter instead of the next one */
  readonly counter?: number;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly #keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  #counter = 0;
  readonly origin: string;
  readonly rpId: string;
  constructor(origin: string, rpId: string) {
    this.origin = origin;
    this.rpId = rpId;
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  #clientData(type: string, challenge: string, t: Tweaks): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: t.type ?? type,
        challenge,
        origin: t.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  #flags(t: Tweaks, extra = 0): number {
    return FLAG_UP | (t.userVerified === false ? 0 : FLAG_UV) | extra;
  }

  /** navigator.credentials.create() → toJSON(), for options.challenge (base64url). */
  register(challenge: string, t: Tweaks = {}) {
    const jwk = this.#keys.publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const cose = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, 'base64url')],
        [-3, Buffer.from(jwk.y, 'base64url')],
      ]),
    );
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(this.credentialId.length);
    const counter = Buffer.alloc(4);
    const authData = Buffer.concat([
      sha256(t.rpId ?? this.rpId),
      Buffer.from([this.#flags(t, FLAG_AT)]),
      counter,
      Buffer.alloc(16),
      idLen,
      this.credentialId,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(this.#clientData('webauthn.create', challenge, t)),
        attestationObject: b64u(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get() → toJSON(), for options.challenge (base64url). */
  assert(challenge: string, t: Tweaks = {}) {
    this.#counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(t.counter ?? this.#counter);
    const authData = Buffer.concat([sha256(t.rpId ?? this.rpId), Buffer.from([this.#flags(t)]), counter]);
    const clientData = this.#clientData('webauthn.get', challenge, t);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      t.signWith ?? this.#keys.privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

export const otherKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
