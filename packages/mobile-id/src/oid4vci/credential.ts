import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import type { CredentialRequest, CredentialResponse, NonceResponse } from './types.ts';

export function buildNonceResponse(cNonce: string): NonceResponse {
  return { c_nonce: cNonce };
}

export function parseNonceResponse(json: unknown): NonceResponse {
  ensure(isObject(json) && typeof json.c_nonce === 'string' && json.c_nonce.length > 0, 'nonce response');
  return { c_nonce: json.c_nonce };
}

export function buildCredentialRequest(configurationId: string, proofJwt: string): CredentialRequest {
  return { credential_configuration_id: configurationId, proofs: { jwt: [proofJwt] } };
}

/** Reads a credential request (server side): one configuration id and exactly one JWT proof. */
export function parseCredentialRequest(json: unknown): { configurationId: string; proofJwt: string } {
  ensure(isObject(json), 'credential request');
  ensure(typeof json.credential_configuration_id === 'string', 'credential_configuration_id');
  ensure(isObject(json.proofs) && Array.isArray(json.proofs.jwt) && json.proofs.jwt.length === 1, 'proofs');
  const proof = json.proofs.jwt[0];
  ensure(typeof proof === 'string', 'proofs');
  return { configurationId: json.credential_configuration_id, proofJwt: proof };
}

export function buildCredentialResponse(credential: string): CredentialResponse {
  return { credentials: [{ credential }] };
}

export function parseCredentialResponse(json: unknown): string {
  ensure(
    isObject(json) && Array.isArray(json.credentials) && json.credentials.length === 1,
    'credential response',
  );
  const first = json.credentials[0];
  ensure(isObject(first) && typeof first.credential === 'string', 'credential response');
  return first.credential;
}
