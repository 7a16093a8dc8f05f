// OpenID for Verifiable Credential Issuance 1.0: the messages Gongjik uses (pre-authorized code flow).

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const PROOF_TYP = 'openid4vci-proof+jwt';
export const OFFER_SCHEME = 'openid-credential-offer://';

/** `tx_code` of a pre-authorized grant: the separate one-time code sent by SMS. */
export interface TxCode {
  length: number;
  input_mode: 'numeric';
  description: string;
}

export interface CredentialOffer {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants: {
    [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': string; tx_code?: TxCode };
  };
}

export interface ClaimDescription {
  path: string[];
  display?: { name: string; locale: string }[];
}

export interface CredentialConfiguration {
  format: string;
  vct?: string;
  scope?: string;
  cryptographic_binding_methods_supported: string[];
  credential_signing_alg_values_supported: string[];
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: string[] } };
  credential_metadata?: {
    display?: { name: string; locale: string; description?: string }[];
    claims?: ClaimDescription[];
  };
}

export interface CredentialIssuerMetadata {
  credential_issuer: string;
  authorization_servers?: string[];
  credential_endpoint: string;
  nonce_endpoint: string;
  display?: { name: string; locale: string }[];
  credential_configurations_supported: Record<string, CredentialConfiguration>;
}

/** The parts of RFC 8414 metadata the wallet reads. */
export interface AuthorizationServerMetadata {
  issuer: string;
  token_endpoint: string;
  'pre-authorized_grant_anonymous_access_supported'?: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface NonceResponse {
  c_nonce: string;
}

export interface CredentialRequest {
  credential_configuration_id: string;
  proofs: { jwt: string[] };
}

export interface CredentialResponse {
  credentials: { credential: string }[];
  notification_id?: string;
}
