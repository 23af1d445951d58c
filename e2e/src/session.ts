import { inject } from 'vitest';
import { LoginPage } from '../pages/login-page.ts';
import { DEMO_PASSWORD } from './accounts.ts';
import { openBrowser, type BrowserSession } from './browser.ts';

/** The phone the layout rules are checked on (issue 2): 390×844, touch. */
export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true } as const;

/** A fresh browser on the test server, logged in as a demo account through the login page. */
export async function openLoggedIn(username: string, device: { viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<BrowserSession> {
  const s = await openBrowser({ baseURL: inject('baseURL'), ...device });
  const login = new LoginPage(s.page);
  await login.open();
  await login.logInAndWait(username, DEMO_PASSWORD);
  return s;
}
