import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { openLoggedIn } from '../../src/session.ts';
import { OrgPage } from '../../pages/org-page.ts';

/** The department's own page (issue 8 item 9): name, kind and where its matters will be — no internal key, no zeros. */
describe('a department official on their department\'s page', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('department');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('sees its name, kind and the matters placeholder, without the internal code 419001000000-D05 or a row of zeros', async () => {
    const org = new OrgPage(s.page);
    await org.open('419001000000-D05');
    await org.mattersPlaceholder().waitFor();
    expect(await org.heading().textContent()).toMatch(/住房和城乡建设局/);
    expect(await org.details().textContent()).toContain('部门');
    expect(await s.page.locator('main').textContent()).not.toContain('419001000000-D05');
    expect(await org.statistics().count()).toBe(0);
  });

  test('a village page still shows its NBS code (统计用区划代码) and its counts', async () => {
    const org = new OrgPage(s.page);
    await org.open(KEJING_VILLAGES[0]!);
    expect(await org.details().textContent()).toContain(KEJING_VILLAGES[0]);
    await org.statistic('党员').waitFor();
    expect(await org.mattersPlaceholder().count()).toBe(0);
  });
});
