import { defineErrors } from '../spec.ts';

/** The directory: agencies, departments, people, mail accounts. */
export const directoryErrors = defineErrors({
  ERR_DIR_AGENCY_UNKNOWN: {
    status: 404,
    title: 'Unknown agency',
    ko: '등록되지 않은 기관 코드입니다: {agency}',
    en: 'No agency is registered with code {agency}.',
  },
  ERR_DIR_AGENCY_EXISTS: {
    status: 409,
    title: 'Agency already registered',
    ko: '이미 등록된 기관 코드입니다: {agency}',
    en: 'An agency with code {agency} is already registered.',
  },
  ERR_DIR_DEPARTMENT_UNKNOWN: {
    status: 404,
    title: 'Unknown department',
    ko: '이 기관에 등록되지 않은 부서 코드입니다: {department}',
    en: 'The agency has no department with code {department}.',
  },
  ERR_DIR_DEPARTMENT_CYCLE: {
    status: 409,
    title: 'Department tree would loop',
    ko: '부서를 자신의 하위 부서 아래로 옮길 수 없습니다: {department}',
    en: 'A department cannot be moved under one of its own sub-departments: {department}',
  },
  ERR_DIR_PERSON_UNKNOWN: {
    status: 404,
    title: 'Unknown person',
    ko: '등록되지 않은 직원 번호입니다: {employeeNumber}',
    en: 'No person is registered with employee number {employeeNumber}.',
  },
  ERR_DIR_PERSON_RETIRED: {
    status: 409,
    title: 'Person already retired',
    ko: '이미 퇴직 처리된 직원의 정보는 바꿀 수 없습니다: {employeeNumber}',
    en: 'The record of a retired person cannot be changed: {employeeNumber}',
  },
  ERR_DIR_ACCOUNT_ID_TAKEN: {
    status: 409,
    title: 'Mail address already in use',
    ko: '이미 다른 사람이 사용하는 메일 주소입니다: {address}',
    en: 'The mail address {address} already belongs to someone else.',
  },
  ERR_DIR_ACCOUNT_ID_IMMUTABLE: {
    status: 409,
    title: 'Mail address cannot change',
    ko: '이 직원에게는 이미 메일 주소({address})가 있습니다. 메일 주소는 바꿀 수 없습니다.',
    en: 'This person already has the mail address {address}; a mail address cannot be changed.',
  },
});
