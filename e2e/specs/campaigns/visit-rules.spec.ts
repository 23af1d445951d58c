import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_TOWN } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { SettingsHubPage } from '../../pages/settings-page.ts';
import { VisitCompletionPage } from '../../pages/visit-completion-page.ts';
import { VisitRulesPage } from '../../pages/visit-rules-page.ts';

/** 五龙口镇: the settings spec changes only its villages' target loads, never its visit rules. */
const WULONGKOU = '419001101000';
const HOUSEHOLDS = '住户（全部）';

describe('走访规则 and 走访完成率 as the office', () => {
  let s: BrowserSession;
  beforeAll(async () => { s = await openLoggedIn('office'); });
  afterAll(async () => { await s?.close(); });

  test('the hub links to 走访规则; the zone\'s household rule is its own, a town inherits it', async () => {
    const hub = new SettingsHubPage(s.page);
    await hub.open();
    await hub.card('走访规则').click();
    const rules = new VisitRulesPage(s.page);
    await rules.org().waitFor();
    expect(await rules.rule('household').textContent()).toMatch(/每月至少 2 次.*本级设置/);
    expect(await rules.rule('away_resident').textContent()).toMatch(/仅电话、微信、视频/);
    await rules.open(WULONGKOU);
    expect(await rules.rule('household').textContent()).toMatch(/沿用/);
  });

  test('a town override shows as 本级设置; reverted, the town inherits again', async () => {
    const rules = new VisitRulesPage(s.page);
    await rules.open(WULONGKOU);
    await rules.edit(HOUSEHOLDS, { period: '每月', minVisits: 3 });
    await expect.poll(async () => (await rules.rule('household').textContent()) ?? '', { timeout: 10_000 }).toMatch(/每月至少 3 次.*本级设置/);
    await rules.revert(HOUSEHOLDS);
    await expect.poll(async () => (await rules.rule('household').textContent()) ?? '', { timeout: 10_000 }).toMatch(/每月至少 2 次.*沿用/);
  });

  test('走访完成率 drills down zone → town → village, each with this month beside last month', async () => {
    const c = new VisitCompletionPage(s.page);
    await c.open();
    expect(await c.asOf().textContent()).toMatch(/数据截至/);
    await c.row(KEJING_TOWN.code).click();
    await expect.poll(async () => (await c.heading().textContent()) ?? '').toContain(KEJING_TOWN.name);
    const village = c.children().getByRole('link').first();
    await village.waitFor();
    await village.click();
    await c.self().waitFor();
    expect(await c.children().textContent()).toMatch(/上月/);
  });
});

describe('走访完成率 on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => { s = await openLoggedIn('secretary', PHONE); });
  afterAll(async () => { await s?.close(); });

  test('the secretary\'s completion page (their village\'s members) fits, with 44 px targets and 14 px text', async () => {
    const c = new VisitCompletionPage(s.page);
    await c.open();
    await expectPhoneFriendly(s.page, 'visit-completion');
  });
});
