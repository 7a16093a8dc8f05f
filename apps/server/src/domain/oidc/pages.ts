// The few HTML pages the provider itself shows (error, consent, sign-out). Korean with English
// below; no script; one inline style allowed by its hash in PAGE_CSP; every value escaped.
import { createHash } from 'node:crypto';

const STYLE =
  'body{font-family:system-ui,"Noto Sans KR",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}' +
  'h1{font-size:1.4rem}.en{color:#555}button{font:inherit;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0}' +
  'ul{padding-left:1.25rem}code{background:#f2f2f2;padding:0 .25rem}';

/** The Content-Security-Policy of these pages. No form-action: after a POST the provider redirects
 * to the relying party, which form-action would block in some browsers. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; frame-ancestors 'none'`;

export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** An OAuth error shown to the user (when it cannot be returned to the relying party). */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    '로그인 오류 — Sign-in error',
    `<h1>로그인할 수 없습니다</h1><p class="en">The sign-in could not be completed.</p>` +
      `<p><code>${escapeHtml(error)}</code>${description ? ` — ${escapeHtml(description)}` : ''}</p>` +
      '<p>이용하던 업무 시스템으로 돌아가 다시 시도하십시오. <span class="en">Go back to the work system and try again.</span></p>',
  );
}

const SCOPE_LABELS: Record<string, [string, string]> = {
  openid: ['로그인 식별자', 'your sign-in identifier'],
  profile: ['이름', 'your name'],
  email: ['메일 주소', 'your mail address'],
  'gongjik:org': ['소속 기관·부서와 직원 번호', 'your agency, department and employee number'],
  offline_access: ['로그아웃 후에도 유지되는 접근', 'access that lasts after you sign out'],
};

/** The consent prompt, for clients registered with require_consent. */
export function consentPage(input: { uid: string; clientName: string; scopes: readonly string[] }): string {
  const base = `/oidc/interaction/${encodeURIComponent(input.uid)}`;
  const items = input.scopes
    .map((s) => {
      const [ko, en] = SCOPE_LABELS[s] ?? [s, s];
      return `<li>${escapeHtml(ko)} <span class="en">(${escapeHtml(en)})</span></li>`;
    })
    .join('');
  return page(
    '정보 제공 동의 — Consent',
    `<h1>${escapeHtml(input.clientName)}</h1>` +
      `<p>이 업무 시스템이 다음 정보를 요청합니다. <span class="en">This work system asks for:</span></p><ul>${items}</ul>` +
      `<form method="post" action="${base}/confirm"><button type="submit">동의하고 계속 <span class="en">Allow</span></button></form>` +
      `<form method="post" action="${base}/abort"><button type="submit">거부 <span class="en">Deny</span></button></form>`,
  );
}

/** RP-initiated logout: the provider's confirmation form (its `form` holds the CSRF token). */
export function logoutPage(form: string, clientName: string | undefined): string {
  return page(
    '로그아웃 — Sign out',
    `<h1>로그아웃하시겠습니까?</h1><p class="en">Do you want to sign out${clientName ? ` of ${escapeHtml(clientName)}` : ''} and end your Gongjik session?</p>` +
      `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">로그아웃 <span class="en">Sign out</span></button>` +
      `<button type="submit" form="op.logoutForm">취소 <span class="en">Stay signed in</span></button>`,
  );
}

export function loggedOutPage(): string {
  return page(
    '로그아웃됨 — Signed out',
    '<h1>로그아웃되었습니다</h1><p class="en">You have been signed out.</p>',
  );
}
