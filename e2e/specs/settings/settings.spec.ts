import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { RestructureDialog, SettingsHubPage, TagsPage, TargetLoadPage } from '../../pages/settings-page.ts';

const WULONGKOU = '419001101000';
const run = Math.floor(Math.random() * 1e6);

/** Polls a locator's text until it matches (the list refreshes after the save). */
async function textOf(page: Page, get: () => ReturnType<Page['locator']>, re: RegExp) {
  await expect.poll(async () => (await get().textContent()) ?? '', { timeout: 10_000 }).toMatch(re);
}

describe('settings as the office', () => {
  let s: BrowserSession;
  beforeAll(async () => { s = await openLoggedIn('office'); });
  afterAll(async () => { await s?.close(); });

  test('the hub links to 目标联户数, and a village override shows as 本级设置, cleared it inherits again', async () => {
    const hub = new SettingsHubPage(s.page);
    await hub.open();
    await hub.card('目标联户数').click();
    const page = new TargetLoadPage(s.page);
    await page.current().waitFor();
    await textOf(s.page, page.current, /本级设置/);

    // The last village of 五龙口镇: none of the other specs uses it.
    await page.open(WULONGKOU);
    const last = page.childRows().last();
    const testId = (await last.getAttribute('data-testid'))!;
    const code = testId.replace('target-', '');
    const name = (await last.locator('div').first().textContent())!.trim();
    await textOf(s.page, () => page.row(code), /沿用/);

    await page.setChild(name, 3, 9);
    await textOf(s.page, () => page.row(code), /3–9 户.*本级设置/);
    await page.clearChild(name);
    await textOf(s.page, () => page.row(code), /沿用/);
  });

  test('adds a tag and an alias, which the list shows; an alias taken by another tag is refused', async () => {
    const tags = new TagsPage(s.page);
    await tags.open();
    const code = `测试${run}`;
    await tags.add(code, code);
    await textOf(s.page, () => tags.tag(code), /别名：无/);
    await tags.addAlias(code, `${code}户`);
    await tags.dialog().waitFor({ state: 'hidden' });
    await textOf(s.page, () => tags.tag(code), new RegExp(`别名：${code}户`));

    await tags.addAlias(code, '低保户');
    await expect.poll(async () => (await tags.dialog().getByRole('alert').textContent()) ?? '').toContain('低保');
    await tags.dialog().getByRole('button', { name: '取消' }).click();

    // Never used, so it may go (keeps the dictionary as other specs expect it).
    await tags.remove(code);
    await tags.tag(code).waitFor({ state: 'detached' });
  });

  test('调整 on a village page previews a merge into another village of its town, and cancelling changes nothing', async () => {
    const org = new OrgPage(s.page);
    // 五龙口镇's last two villages: none of the other specs uses them.
    const target = new TargetLoadPage(s.page);
    await target.open(WULONGKOU);
    const rows = target.childRows();
    const n = await rows.count();
    const code = (await rows.nth(n - 1).getAttribute('data-testid'))!.replace('target-', '');
    const survivor = (await rows.nth(n - 2).locator('div').first().textContent())!.trim();
    await org.open(code);
    const title = await org.heading().textContent();
    const r = new RestructureDialog(s.page);
    await r.open().click();
    await r.choose('并入本镇其他村（社区）');
    // A town has dozens of villages and the dropdown renders only the visible ones: search, then pick.
    await r.dialog().getByLabel('并入的村（社区）（保留的一方）').fill(survivor);
    await s.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(survivor, { exact: true }).click();
    await r.requestPreview();
    expect(await r.preview().textContent()).toMatch(new RegExp(`并入${survivor}.*转入的住户\\d+ 户`));
    await r.dialog().getByRole('button', { name: '返回修改' }).click();
    await r.dialog().getByRole('button', { name: '取消' }).click();
    await r.dialog().waitFor({ state: 'hidden' });
    await org.open(code);
    expect(await org.heading().textContent()).toBe(title);
  });
});

describe('settings on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => { s = await openLoggedIn('office', PHONE); });
  afterAll(async () => { await s?.close(); });

  test('the hub, 目标联户数 of a town, 困难群体标签 and 导入保留期 fit, with 44 px targets and 14 px text', async () => {
    await new SettingsHubPage(s.page).open();
    await expectPhoneFriendly(s.page, 'settings');
    await new TargetLoadPage(s.page).open(WULONGKOU);
    await expectPhoneFriendly(s.page, 'settings-target-load');
    await new TagsPage(s.page).open();
    await expectPhoneFriendly(s.page, 'settings-tags');
    await s.page.goto('/settings/retention');
    await s.page.getByRole('heading', { level: 1, name: '导入保留期' }).waitFor();
    await expectPhoneFriendly(s.page, 'settings-retention');
  });
});
