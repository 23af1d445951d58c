import { mountLoginPage } from './auth/login-page.ts';

/**
 * The entry: as small as a page can be. /login is the first page a member opens on a weak signal, so it is a plain
 * page (auth/login-page.ts: a form and one fetch, a few KB, in this very file's chunk) and never waits for React, antd
 * or the router; every other address loads the app (app/app-root.tsx). After logging in, the browser loads the app's
 * page afresh.
 */
const root = document.getElementById('root')!;
if (location.pathname === '/login') mountLoginPage(root);
else void import('./app/app-root.tsx').then((m) => m.mountApp(root));
