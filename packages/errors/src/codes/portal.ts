import { defineErrors } from '../spec.ts';

/** The wallet's biometric unlock, bound on the server (WebAuthn). */
export const portalErrors = defineErrors({
  ERR_MID_WEBAUTHN_CHALLENGE: {
    status: 400,
    title: 'WebAuthn challenge unknown, used or expired',
    ko: '생체 인증 요청이 만료되었거나 이미 사용되었습니다. 다시 시도하십시오.',
    en: 'The biometric check has expired or was already used. Try again.',
  },
  ERR_MID_WEBAUTHN_NOT_ENROLLED: {
    status: 409,
    title: 'No biometric credential for this card',
    ko: '이 공무원증에 등록된 생체 인증이 없습니다. 비밀번호로 잠금을 해제하십시오.',
    en: 'No biometrics are enrolled for this card. Unlock with the PIN.',
  },
  ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL: {
    status: 403,
    title: 'WebAuthn credential not enrolled for this card',
    ko: '이 공무원증에 등록된 생체 인증 수단이 아닙니다.',
    en: 'This biometric credential is not enrolled for this card.',
  },
  ERR_MID_WEBAUTHN_INVALID: {
    status: 403,
    title: 'WebAuthn response did not verify',
    ko: '생체 인증을 확인하지 못했습니다. 남은 시도 횟수: {remaining}',
    en: 'The biometric check did not verify. Attempts left: {remaining}',
  },
  ERR_MID_WEBAUTHN_REGISTRATION_INVALID: {
    status: 400,
    title: 'WebAuthn registration did not verify',
    ko: '생체 인증을 등록하지 못했습니다(기기에서 사용자 확인이 필요합니다).',
    en: 'The biometrics could not be enrolled (the device must verify the user).',
  },
});
