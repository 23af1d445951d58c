import { mountLoginPage } from './auth/login-page.ts';
import { startEarly } from './api/early.ts';

/**
 * The entry: as small as a page can be. /login is the first page a member opens on a weak signal, so it is a plain
 * page (auth/login-page.ts: a form and one fetch, a few KB, in this very file's chunk) and never waits for React, antd
 * or the router; every other address loads the app (app/app-root.tsx). After logging in, the browser loads the app's
 * page afresh.
 */
const root = document.getElementById('root')!;
if (location.pathname === '/login') mountLoginPage(root);
else if (location.pathname.startsWith('/c/')) {
  // A contact card's public page: no session to ask for.
  void import('./app/app-root.tsx').then((m) => m.mountApp(root));
} else {
  // The session, and a member's 今天 on their home, are asked for now — while the app's scripts download — not after
  // them: on slow 4G that is a second or more off the first useful paint (api/early.ts hands them to the app).
  startEarly('/api/v1/auth/me')
    .then((res) => (res.ok ? res.clone().json() : null))
    .then((me: { data?: { roles?: { role: string }[] } } | null) => {
      const home = location.pathname === '/' || (location.pathname === '/today' && !location.search);
      if (home && me?.data?.roles?.some((r) => r.role === 'member')) startEarly('/api/v1/today');
    })
    .catch(() => {});
  // The shell and the home page are fetched beside the app's root rather than after it (the router asks for them only
  // once the root has run): one round trip fewer on the way to the first page.
  // A failed download here is the router's to report (it asks for the same chunks): nothing to say twice.
  import('./routes/app-shell.tsx').catch(() => {});
  if (location.pathname === '/') import('./routes/home-page.tsx').catch(() => {});
  void import('./app/app-root.tsx').then((m) => m.mountApp(root));
}
