// Sign-in with the mobile ID and the library desk (screens/mid-login). Spread into ko.ts.
export const midloginKo = {
  'mid.title': '모바일 공무원증으로 로그인',
  'mid.or': '또는',
  'mid.intro':
    '휴대전화의 모바일 공무원증 지갑으로 QR 코드를 찍거나, 이 기기에 지갑이 있으면 바로 여세요. 잠금을 풀 때 PIN을 입력합니다.',
  'mid.start': 'QR 코드 받기',
  'mid.starting': '요청을 만드는 중…',
  'mid.qrLabel': '모바일 공무원증 로그인 요청 QR 코드',
  'mid.codeLabel': '확인 코드',
  'mid.codeHint':
    '지갑 화면에 같은 확인 코드와 "{name}"이(가) 보이는지 확인하세요. 다르면 승인하지 말고 이 창을 닫으세요.',
  'mid.sameDevice': '이 기기의 지갑 열기',
  'mid.waiting': '지갑의 응답을 기다리는 중… 남은 시간 {time}',
  'mid.refused': '지갑의 응답이 거부되었습니다. 다시 시도할 수 있습니다.',
  'mid.expired': 'QR 코드의 유효 시간이 지났습니다.',
  'mid.restart': '새 QR 코드 받기',
  'mid.cancel': '취소',
  'mid.done': '확인되었습니다. 이동하는 중…',
  'mid.loading': '모바일 공무원증 로그인을 불러오는 중…',

  'library.title': '정부세종청사 도서관 — 모바일 공무원증 확인',
  'library.intro':
    '대출하려는 분의 모바일 공무원증으로 QR 코드를 찍게 하세요. 도서관은 이름, 소속 기관, 공무원 번호만 받습니다. 부서, 직급, 사진은 휴대전화 밖으로 나가지 않습니다.',
  'library.start': '확인 시작',
  'library.verified': '확인된 이용자',
  'library.name': '이름',
  'library.agency': '소속 기관',
  'library.employeeNumber': '공무원 번호',
  'library.verifiedAt': '확인 시각',
  'library.next': '다음 이용자',
} as const;
