import { OFFICIAL_ID_CLAIMS, OFFICIAL_ID_VCT } from '../sd-jwt/issue.ts';
import type {
  AuthorizationServerMetadata,
  CredentialConfiguration,
  CredentialIssuerMetadata,
} from './types.ts';

/** Credential configuration ids Gongjik issues. */
export const OFFICIAL_ID_CONFIGURATION = 'gongjik_official_id';
export const GATE_CONFIGURATION = 'gongjik_gate';
/** Format identifier of the compact gate credential (a Gongjik extension, see the README). */
export const GATE_FORMAT = 'gongjik-gate+jwt';

const CLAIM_NAMES_KO: Record<string, string> = {
  name: '성명',
  employee_number: '공무원 번호',
  agency: '소속 기관',
  department: '부서',
  position: '직위',
  photo_digest: '사진',
};

const es256Binding = {
  cryptographic_binding_methods_supported: ['jwk'],
  credential_signing_alg_values_supported: ['ES256'],
  proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
};

/** The issuer metadata served at `/.well-known/openid-credential-issuer`. */
export function buildIssuerMetadata(issuer: string): CredentialIssuerMetadata {
  const officialId: CredentialConfiguration = {
    format: 'dc+sd-jwt',
    vct: OFFICIAL_ID_VCT,
    ...es256Binding,
    credential_metadata: {
      display: [
        { name: '모바일 공무원증', locale: 'ko-KR' },
        { name: 'Mobile public-official ID', locale: 'en-US' },
      ],
      claims: OFFICIAL_ID_CLAIMS.map((c) => ({
        path: [c],
        display: [{ name: CLAIM_NAMES_KO[c]!, locale: 'ko-KR' }],
      })),
    },
  };
  const gate: CredentialConfiguration = {
    format: GATE_FORMAT,
    ...es256Binding,
    credential_metadata: { display: [{ name: '청사 출입 증명', locale: 'ko-KR' }] },
  };
  return {
    credential_issuer: issuer,
    credential_endpoint: `${issuer}/credential`,
    nonce_endpoint: `${issuer}/nonce`,
    display: [{ name: '공직 모바일 공무원증 발급', locale: 'ko-KR' }],
    credential_configurations_supported: {
      [OFFICIAL_ID_CONFIGURATION]: officialId,
      [GATE_CONFIGURATION]: gate,
    },
  };
}

/** The issuer acts as its own authorization server (RFC 8414 metadata). */
export function buildAuthorizationServerMetadata(issuer: string): AuthorizationServerMetadata {
  return {
    issuer,
    token_endpoint: `${issuer}/token`,
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}

/** Well-known URLs (path appended to the origin, after RFC 8615 rules for issuer paths). */
export function wellKnownUrl(
  issuer: string,
  name: 'openid-credential-issuer' | 'oauth-authorization-server',
): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return name === 'openid-credential-issuer'
    ? `${url.origin}${path}/.well-known/openid-credential-issuer`
    : `${url.origin}/.well-known/oauth-authorization-server${path}`;
}
