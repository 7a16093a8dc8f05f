// Korean messages of support: the help box on the home screen, the help desk in the login page's
// footer and the security officer fields of the admin's agency list. Spread into ko.ts;
// support.en.ts is typed against this.
export const supportKo = {
  'support.title': '도움이 필요하신가요?',
  'support.helpDesk': '통합 헬프데스크',
  'support.helpDeskCall': '헬프데스크에 전화하기: {phone}',
  'support.loginFooter': '문의: 통합 헬프데스크',
  'support.officer': '우리 기관 보안담당관',
  'support.officerNone': '우리 기관의 보안담당관이 아직 등록되지 않았습니다. 헬프데스크로 문의하세요.',
  'support.officerPhone': '전화',
  'support.officerEmail': '전자우편',
  'support.loading': '도움말 정보를 불러오는 중…',

  'support.admin.column': '보안담당관',
  'support.admin.none': '없음',
  'support.admin.edit': '보안담당관 편집',
  'support.admin.editNamed': '{name}: 보안담당관 편집',
  'support.admin.formTitle': '{name} 보안담당관',
  'support.admin.name': '이름',
  'support.admin.phone': '전화번호',
  'support.admin.phoneHint': '예: 044-205-1234 (숫자와 하이픈)',
  'support.admin.email': '전자우편',
  'support.admin.save': '저장',
  'support.admin.clear': '보안담당관 삭제',
  'support.admin.cancel': '취소',
  'support.admin.confirmClear': '{name}의 보안담당관 정보를 삭제할까요?',
  'support.admin.saved': '{name}: 보안담당관을 저장했습니다.',
  'support.admin.cleared': '{name}: 보안담당관을 삭제했습니다.',
} as const;

export type SupportMessages = { readonly [K in keyof typeof supportKo]: string };
