// Where the login page goes once signed in (certificate or mobile ID): the safe `return` path when
// there is one — a screen of this app by in-page navigation, anything else on this origin (the OIDC
// interaction, served by the server) by a full page load — else the default screen.
export function afterLogin(
  back: string | null,
  fallback: string,
  router: { navigate: (path: string) => void; routeOf: (pathname: string) => string },
): void {
  if (back === null) {
    router.navigate(fallback);
    return;
  }
  const pathname = back.split(/[?#]/)[0]!;
  if (!pathname.startsWith('/oidc/') && router.routeOf(pathname) !== 'notFound') router.navigate(back);
  else window.location.assign(back);
}
