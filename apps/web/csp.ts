// The Content-Security-Policy of the web app. The server sends it with every page of the app, and
// the Vite dev and preview servers send it too, so the page is developed under the policy it runs
// under. Nothing inline: no inline scripts, no inline <style>, no style attributes in the HTML.

/** Directives of the app's policy, in the order they are sent. */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data: blob:",
  'connect-src': "'self'",
  'frame-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'self'",
};

/** The header value: `default-src 'self'; script-src 'self'; …`. */
export const CONTENT_SECURITY_POLICY: string = Object.entries(CSP_DIRECTIVES)
  .map(([directive, value]) => `${directive} ${value}`)
  .join('; ');
