import { isObject } from '../util/bytes.ts';
import { ensure } from '../util/fail.ts';
import { type CredentialOffer, OFFER_SCHEME, PRE_AUTHORIZED_GRANT, type TxCode } from './types.ts';

const MAX_OFFER_LENGTH = 4096;

export interface BuildOfferInput {
  issuer: string;
  configurationIds: string[];
  preAuthorizedCode: string;
  /** Length of the numeric one-time code sent separately (default 6). */
  txCodeLength?: number;
  txCodeDescription?: string;
}

/** A credential offer with the pre-authorized code grant and a numeric `tx_code`. */
export function buildCredentialOffer(input: BuildOfferInput): CredentialOffer {
  const tx_code: TxCode = {
    length: input.txCodeLength ?? 6,
    input_mode: 'numeric',
    description: input.txCodeDescription ?? '문자 메시지로 받은 일회용 코드를 입력하십시오.',
  };
  return {
    credential_issuer: input.issuer,
    credential_configuration_ids: [...input.configurationIds],
    grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': input.preAuthorizedCode, tx_code } },
  };
}

/** The offer as a link (by value): `openid-credential-offer://?credential_offer=…`, or under `base`. */
export function credentialOfferUri(offer: CredentialOffer, base = OFFER_SCHEME): string {
  return `${base}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
}

/** Reads an offer from its link or JSON text, checking its shape. Throws ERR_MID_MALFORMED. */
export function parseCredentialOffer(input: string): CredentialOffer {
  ensure(typeof input === 'string' && input.length <= MAX_OFFER_LENGTH * 3, 'credential offer');
  let json = input.trim();
  if (!json.startsWith('{')) {
    const q = json.indexOf('?');
    ensure(q >= 0, 'credential offer');
    const value = new URLSearchParams(json.slice(q + 1)).get('credential_offer');
    ensure(value !== null, 'credential offer');
    json = value;
  }
  ensure(json.length <= MAX_OFFER_LENGTH, 'credential offer');
  let offer: unknown;
  try {
    offer = JSON.parse(json);
  } catch {
    ensure(false, 'credential offer');
  }
  ensure(isObject(offer), 'credential offer');
  const { credential_issuer, credential_configuration_ids, grants } = offer;
  ensure(
    typeof credential_issuer === 'string' && /^https?:\/\//.test(credential_issuer),
    'credential_issuer',
  );
  ensure(
    Array.isArray(credential_configuration_ids) &&
      credential_configuration_ids.length > 0 &&
      credential_configuration_ids.length <= 8 &&
      credential_configuration_ids.every((c) => typeof c === 'string'),
    'credential_configuration_ids',
  );
  ensure(isObject(grants) && isObject(grants[PRE_AUTHORIZED_GRANT]), 'grants');
  const grant = grants[PRE_AUTHORIZED_GRANT];
  ensure(
    typeof grant['pre-authorized_code'] === 'string' && grant['pre-authorized_code'].length > 0,
    'pre-authorized_code',
  );
  if (grant.tx_code !== undefined) {
    const tx = grant.tx_code;
    ensure(
      isObject(tx) &&
        (tx.length === undefined || (Number.isInteger(tx.length) && (tx.length as number) <= 16)),
      'tx_code',
    );
  }
  return offer as unknown as CredentialOffer;
}
