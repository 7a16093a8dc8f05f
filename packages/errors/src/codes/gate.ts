import { defineErrors } from '../spec.ts';

/** Building gates (청사 출입): zone policy refusals, gate registration and gate authentication. */
export const gateErrors = defineErrors({
  ERR_GATE_AGENCY_NOT_ALLOWED: {
    status: 403,
    title: 'Agency not allowed at this gate',
    ko: '이 출입구는 소속 기관({agency}) 공무원의 출입을 허용하지 않습니다.',
    en: 'This gate does not admit officials of the holder’s agency ({agency}).',
  },
  ERR_GATE_BUILDING_NOT_ALLOWED: {
    status: 403,
    title: 'Building not allowed for this agency',
    ko: '소속 기관({agency})은 이 건물({building})에 출입할 수 없습니다.',
    en: 'Officials of this agency ({agency}) may not enter this building ({building}).',
  },
  ERR_GATE_OUTSIDE_HOURS: {
    status: 403,
    title: 'Outside the allowed hours',
    ko: '지금은 출입이 허용된 시간이 아닙니다.',
    en: 'Entry is not allowed at this time.',
  },
  ERR_GATE_POLICY_INVALID: {
    status: 400,
    title: 'Invalid gate zone policy',
    ko: '출입구 구역 정책이 올바르지 않습니다: {problem}',
    en: 'The gate’s zone policy is invalid: {problem}',
  },
  ERR_GATE_KEY_IN_USE: {
    status: 409,
    title: 'Gate key already registered',
    ko: '이미 다른 출입구에 등록된 키입니다. 출입구마다 새 키를 만드십시오.',
    en: 'This key is already registered for another gate. Make a new key for each gate.',
  },
  ERR_GATE_UNKNOWN: {
    status: 401,
    title: 'Unknown gate',
    ko: '등록되지 않은 출입구입니다. 관리자에게 출입구 등록을 요청하십시오.',
    en: 'This gate is not registered. Ask an administrator to register it.',
  },
  ERR_GATE_DISABLED: {
    status: 403,
    title: 'Gate disabled',
    ko: '사용이 중지된 출입구입니다.',
    en: 'This gate has been disabled.',
  },
  ERR_GATE_AUTH_INVALID: {
    status: 401,
    title: 'Invalid gate authentication',
    ko: '출입구 인증 토큰이 올바르지 않거나 만료되었거나 이미 사용되었습니다.',
    en: 'The gate’s authentication token is invalid, expired or already used.',
  },
  ERR_GATE_SETUP_CODE_INVALID: {
    status: 400,
    title: 'Invalid gate setup code',
    ko: '출입구 설정 코드가 올바르지 않습니다. 관리자가 출입구를 등록할 때 받은 코드를 그대로 입력하십시오.',
    en: 'The gate setup code is invalid. Enter the code exactly as given when the gate was registered.',
  },
  ERR_GATE_NOT_CONFIGURED: {
    status: 409,
    title: 'Gate not set up',
    ko: '출입구가 아직 설정되지 않았습니다(gongjik gate setup).',
    en: 'The gate has not been set up yet (gongjik gate setup).',
  },
  ERR_GATE_NO_BUNDLE: {
    status: 503,
    title: 'No cached gate data',
    ko: '출입구에 보관된 발급기관 키와 상태 목록이 없습니다. 온라인일 때 동기화하십시오(gongjik gate sync).',
    en: 'The gate holds no cached issuer keys and status list. Synchronise while online (gongjik gate sync).',
  },
});
