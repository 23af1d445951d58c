import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { PageAudit } from '../../src/page-audit.ts';
import { openLoggedIn } from '../../src/session.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { SystemPage } from '../../pages/system-page.ts';

describe('系统维护 (admin)', () => {
  let s: BrowserSession;
  let audit: PageAudit;
  beforeAll(async () => {
    s = await openLoggedIn('admin');
    audit = await PageAudit.attach(s.context, inject('baseURL'));
  });
  afterAll(async () => {
    await s?.close();
  });

  test('lists the scheduled jobs, takes a backup now with 立即备份 and lists it, with no error or axe violation', async () => {
    const page = new SystemPage(s.page);
    await s.page.goto('/');
    await page.openFromNavigation();
    await expect.poll(() => page.jobRow(/夜间备份/).count()).toBe(1);
    await expect.poll(() => page.jobRow(/例行清理/).count()).toBe(1);
    await expect.poll(() => s.page.getByText(/LIANXIN_KEYRING/).count()).toBeGreaterThan(0);
    const before = await page.backupRows().count();
    await page.backupNow().click();
    await page.done().waitFor({ timeout: 30_000 }).catch(async (e) => { console.log(await page.backups().innerText()); throw e; });
    await expect.poll(() => page.backupRows().count(), { timeout: 10_000 }).toBe(before + 1);
    await audit.visit(s.page, '/system', 'admin desktop /system after a backup');
    expect(audit.problems).toEqual([]);
  });
});
