import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

describe('an org named with markup', () => {
  let s: BrowserSession;
  const dialogs: string[] = [];
  beforeAll(async () => {
    s = await openBrowser({ baseURL: inject('baseURL') });
    s.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await new LoginPage(s.page).open();
    await new LoginPage(s.page).logInAndWait('office', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('renders its name verbatim as text and runs no script', async () => {
    const org = new OrgPage(s.page);
    await org.open(inject('xssOrgCode'));
    const title = await org.heading().textContent();
    expect(title).toContain('<script>alert(1)</script>');
    // No element was created from the name.
    expect(await org.heading().locator('script, img').count()).toBe(0);
    expect(await s.page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
