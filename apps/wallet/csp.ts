// The Content-Security-Policy of the wallet. Whoever serves the wallet (the Gongjik server on its
// wallet origin, the Vite dev/preview servers, the browser tests) sends it with every page, so the
// wallet is developed under the policy it runs under. Nothing inline: no inline scripts, no inline
// <style>, no style attributes in the HTML.
//
// The wallet lives on its own origin, so the issuer's origin (OpenID4VCI endpoints, status list,
// PIN unlock) is named in `connect-src`; no other origin can be reached from the page.

export interface WalletCspOptions {
  /** Origins the wallet may call: the credential issuer (e.g. `https://id.gongjik.go.kr`). */
  readonly issuerOrigins: readonly string[];
}

/** Directives of the wallet's policy, in the order they are sent. */
export function walletCspDirectives(options: WalletCspOptions): Readonly<Record<string, string>> {
  const issuers = options.issuerOrigins.map((o) => new URL(o).origin);
  return {
    'default-src': "'self'",
    'script-src': "'self'",
    'style-src': "'self'",
    'img-src': "'self' data: blob:",
    'connect-src': ["'self'", ...issuers].join(' '),
    'worker-src': "'self'",
    'manifest-src': "'self'",
    'frame-src': "'none'",
    'frame-ancestors': "'none'",
    'object-src': "'none'",
    'base-uri': "'none'",
    'form-action': "'self'",
  };
}

/** The header value: `default-src 'self'; script-src 'self'; …`. */
export function walletCsp(options: WalletCspOptions): string {
  return Object.entries(walletCspDirectives(options))
    .map(([directive, value]) => `${directive} ${value}`)
    .join('; ');
}
