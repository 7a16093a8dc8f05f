// Korean messages (the default language). Every user-visible string of the wallet lives here and in
// en.ts; en.ts is typed against this catalog, so a key missing there is a type error.
// `{name}` placeholders are filled by t(); both catalogs must use the same placeholders (tested).
import { presentKo } from './present.ko.ts';
import { signKo } from './sign.ko.ts';

export const ko = {
  ...signKo,
  'app.name': '모바일 공무원증',
  'app.brand': '공직',
  'app.skipLink': '본문 바로가기',
  'app.loading': '불러오는 중…',
  'app.offlineBanner': '오프라인 상태입니다. 마지막으로 확인한 정보를 보여 줍니다.',

  'lang.label': '언어',
  'lang.ko': '한국어',
  'lang.en': 'English',

  'welcome.title': '모바일 공무원증 설치',
  'welcome.lead': '휴대전화에 공무원증을 담아 청사 출입, 통합메일 로그인, 전자서명에 씁니다.',
  'welcome.stepsTitle': '설치 순서',
  'welcome.step1': '부서장 승인 후 받은 문자 메시지의 설치 링크를 이 휴대전화에서 엽니다.',
  'welcome.step2': '따로 받은 문자의 일회용 코드 6자리를 입력합니다.',
  'welcome.step3': '화면의 신원 정보(이름, 소속 기관, 공무원 번호)를 확인합니다.',
  'welcome.step4': '비밀번호(숫자 6자리)를 정하고, 원하면 생체 인증을 등록합니다.',
  'welcome.linkLabel': '설치 링크',
  'welcome.linkHint': '문자 메시지의 링크를 열 수 없으면 여기에 붙여 넣으세요.',
  'welcome.linkSubmit': '설치 시작',
  'welcome.linkInvalid': '설치 링크가 아닙니다. 문자 메시지의 주소 전체를 붙여 넣으세요.',
  'welcome.oneDevice':
    '모바일 공무원증은 한 번에 한 기기에서만 쓸 수 있습니다. 새 기기에 설치하면 이전 기기의 공무원증은 폐기됩니다.',

  'install.title': '모바일 공무원증 설치',
  'install.progress': '{total}단계 중 {step}단계',
  'install.issuer': '발급 기관 서버: {host}',
  'install.code.title': '일회용 코드 입력',
  'install.code.lead': '설치 링크와 따로 받은 문자 메시지의 일회용 코드를 입력하세요.',
  'install.code.label': '일회용 코드 ({length}자리 숫자)',
  'install.code.submit': '확인',
  'install.code.busy': '확인하는 중…',
  'install.code.format': '일회용 코드는 숫자 {length}자리입니다.',
  'install.identity.title': '본인 확인',
  'install.identity.lead':
    '아래 정보가 본인과 같은지 확인하세요. 다르면 설치하지 말고 인사 담당자에게 알리세요.',
  'install.identity.confirm': '네, 본인입니다',
  'install.identity.reject': '제 정보가 아닙니다',
  'install.identity.rejected':
    '설치를 멈췄습니다. 인사 담당자에게 연락하여 발급 요청을 확인하세요. 이 링크는 다시 쓰지 않아도 됩니다.',
  'install.pin.title': '비밀번호 설정',
  'install.pin.lead':
    '공무원증을 쓸 때마다 입력할 숫자 6자리 비밀번호를 정하세요. 비밀번호는 서버가 확인하며, 5번 틀리면 공무원증이 잠겨 재발급을 받아야 합니다.',
  'install.pin.first': '새 비밀번호 (숫자 6자리)',
  'install.pin.second': '새 비밀번호 확인',
  'install.pin.rules':
    '같은 숫자 반복(000000), 연속된 숫자(123456, 654321), 두세 자리 반복(121212), 생년월일처럼 보이는 번호는 쓸 수 없습니다.',
  'install.pin.submit': '다음',
  'install.pin.mismatch': '두 비밀번호가 다릅니다. 다시 입력하세요.',
  'install.pinPending.title': '비밀번호 설정 마치기',
  'install.pinPending.lead': '공무원증은 받았지만 비밀번호 설정이 끝나지 않았습니다. 비밀번호를 정하세요.',
  'install.bio.title': '생체 인증 등록 (선택)',
  'install.bio.lead':
    '지문이나 얼굴 인식을 등록하면 비밀번호 대신 생체 인증으로 잠금을 풀 수 있습니다. 서버가 이 기기의 인증을 확인합니다.',
  'install.bio.enrol': '생체 인증 등록',
  'install.bio.skip': '건너뛰기',
  'install.bio.unavailable': '이 기기에서는 생체 인증을 쓸 수 없습니다. 비밀번호만으로 설치합니다.',
  'install.bio.failed': '생체 인증을 등록하지 못했습니다. 다시 시도하거나 건너뛰세요.',
  'install.bio.done': '생체 인증을 등록했습니다.',
  'install.receive.busy': '공무원증을 받는 중…',
  'install.receive.retry': '다시 시도',
  'install.done': '모바일 공무원증을 받았습니다.',

  'pin.weak.length': '비밀번호는 숫자 6자리입니다.',
  'pin.weak.digits': '비밀번호에는 숫자만 쓸 수 있습니다.',
  'pin.weak.repeated': '같은 숫자만 반복한 비밀번호(예: 000000)는 쓸 수 없습니다.',
  'pin.weak.sequence': '연속된 숫자(예: 123456, 654321)는 쓸 수 없습니다.',
  'pin.weak.pairs': '두세 자리를 되풀이한 비밀번호(예: 121212, 123123)는 쓸 수 없습니다.',
  'pin.weak.common': '너무 흔한 비밀번호(예: 112233, 147258)는 쓸 수 없습니다.',
  'pin.weak.date': '생년월일처럼 보이는 번호는 쓸 수 없습니다.',

  'card.title': '내 공무원증',
  'card.country': '대한민국',
  'card.kind': '공무원증',
  'card.kindEn': 'GOVERNMENT OFFICIAL ID',
  'card.photo': '사진 (실물 공무원증과 같은 사진)',
  'card.name': '성명',
  'card.agency': '소속 기관',
  'card.department': '부서',
  'card.position': '직위',
  'card.employeeNumber': '공무원 번호',
  'card.validity': '유효 기간',
  'card.validityRange': '{from} ~ {until}',
  'card.installedAt': '{date}에 이 기기에 설치됨',

  'status.label': '공무원증 상태',
  'status.valid': '유효',
  'status.suspended': '일시 정지',
  'status.invalid': '무효',
  'status.unknown': '확인 전',
  'status.checking': '상태 확인 중…',
  'status.checkedAt': '{time} 확인',
  'status.offline': '오프라인 — {time}에 마지막으로 확인',
  'status.neverChecked': '아직 상태를 확인하지 못했습니다.',
  'status.refresh': '상태 새로 고침',
  'status.failed': '상태를 확인하지 못했습니다. 마지막으로 확인한 상태를 보여 줍니다.',
  'status.help.suspended':
    '분실 신고로 일시 정지된 공무원증입니다. 휴대전화를 찾았으면 다시 사용할 수 있습니다.',
  'status.help.invalid':
    '이 공무원증은 더 쓸 수 없습니다 (비밀번호 5회 오류, 새 기기 발급, 퇴직 등). 인사 담당자에게 재발급을 요청하세요.',

  'lock.locked': '잠김',
  'lock.unlockedUntil': '{time}까지 잠금 해제됨',
  'lock.title': '비밀번호로 잠금 해제',
  'lock.lead': '출입 QR과 전자서명을 쓰려면 비밀번호를 입력하세요. 비밀번호는 서버가 확인합니다.',
  'lock.pinLabel': '비밀번호 (숫자 6자리)',
  'lock.submit': '잠금 해제',
  'lock.busy': '확인하는 중…',
  'lock.bioSubmit': '생체 인증으로 잠금 해제',
  'lock.bioRequired': '등록한 생체 인증으로 잠금을 풀거나, 아래에 비밀번호를 입력하세요.',
  'lock.bioFailed': '생체 인증으로 본인을 확인하지 못했습니다. 다시 시도하세요.',
  'lock.cancel': '취소',
  'lock.remaining': '남은 시도 횟수: {remaining}번',
  'lock.lockedOut':
    '비밀번호를 5번 잘못 입력하여 공무원증이 잠겼습니다 (무효). 인사 담당자에게 재발급을 요청하세요.',
  'lock.offline': '비밀번호는 서버가 확인하므로 인터넷에 연결되어야 합니다.',
  'lock.lockNow': '지금 잠그기',

  'actions.title': '할 일',
  'actions.gate': '출입 QR 보기',
  'actions.unlock': '잠금 해제',
  'actions.reportLost': '분실 신고 (일시 정지)',
  'actions.reactivate': '다시 사용 (정지 해제)',
  'actions.reset': '이 기기에서 삭제',
  'actions.webApp': '통합메일에서 공무원증 관리',

  'gate.title': '출입 QR',
  'gate.lead': '출입 게이트의 카메라에 이 QR 코드를 보여 주세요.',
  'gate.qr': '출입용 QR 코드 ({group})',
  'gate.refresh': '{seconds}초 후 새 코드로 바뀝니다.',
  'gate.group': '출입할 청사',
  'gate.back': '공무원증으로 돌아가기',
  'gate.needUnlock': '출입 QR을 보려면 먼저 잠금을 해제하세요.',
  'gate.notValid': '유효한 공무원증이 아니어서 출입 QR을 만들 수 없습니다.',
  'gate.noGateCredential': '이 공무원증에는 출입용 자격 증명이 없습니다.',

  'lost.title': '분실 신고',
  'lost.lead':
    '공무원증을 즉시 일시 정지합니다. 출입 게이트는 상태 목록을 갱신하는 대로(최대 몇 분) 이 공무원증을 거절합니다.',
  'lost.confirm': '일시 정지',
  'lost.done': '공무원증을 일시 정지했습니다.',
  'lost.elsewhere': '휴대전화를 잃어버렸다면 다른 컴퓨터에서 통합메일에 인증서로 로그인하여 분실 신고하세요.',
  'reactivate.title': '다시 사용',
  'reactivate.lead': '휴대전화를 찾았으면 비밀번호를 입력하여 공무원증을 다시 사용합니다.',
  'reactivate.confirm': '다시 사용',
  'reactivate.done': '공무원증을 다시 사용할 수 있습니다.',
  'reactivate.webOnly': '일시 정지 해제는 통합메일에서 인증서로 로그인한 뒤 할 수 있습니다.',

  'reset.title': '이 기기에서 삭제',
  'reset.lead':
    '이 기기의 공무원증과 기기 키를 지웁니다. 되돌릴 수 없으며, 다시 쓰려면 재발급을 받아야 합니다.',
  'reset.confirm': '삭제',
  'reset.cancel': '취소',
  'reset.done': '이 기기에서 공무원증을 지웠습니다.',

  'form.errorTitle': '진행할 수 없습니다',
  'error.network': '서버에 연결할 수 없습니다. 인터넷 연결을 확인하세요.',
  'error.badResponse': '서버가 예상하지 못한 답을 보냈습니다. 잠시 후 다시 시도하세요.',
  'error.unexpected': '예상하지 못한 문제가 생겼습니다. 다시 시도하세요.',
  'error.unknownCode': '요청이 거절되었습니다 ({code}).',
  'error.http': '요청이 실패했습니다 (HTTP {status}).',
  'error.wrongIssuer': '이 설치 링크는 이 지갑이 믿는 발급 기관({host})의 것이 아닙니다.',
  'error.noCard': '이 기기에 공무원증이 없습니다.',
  'error.storage': '이 브라우저가 저장소(IndexedDB)를 허용하지 않아 공무원증을 보관할 수 없습니다.',
  ...presentKo,
} as const;

export type MessageKey = keyof typeof ko;

export type Catalog = { readonly [K in MessageKey]: string };
