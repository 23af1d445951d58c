import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserSession } from '../../src/browser.ts';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { HouseholdPage } from '../../pages/household-page.ts';
import { RosterPage } from '../../pages/roster-page.ts';
import { TodayPage } from '../../pages/today-page.ts';
import { VisitNewPage } from '../../pages/visit-new-page.ts';
import { MEMBER, registerHouseholdForMember, visitsOf, type VisitHousehold } from './fixtures.ts';

/** 代录: the secretary copies a member's paper notebook into the app; the visit counts for the member and says 代录. */
describe('the secretary records a visit on behalf of a member of the branch (代录)', () => {
  let s: BrowserSession;
  let h: VisitHousehold;
  beforeAll(async () => {
    h = await registerHouseholdForMember();
    s = await openLoggedIn('secretary', PHONE);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  test('roster → 代录走访 → the member\'s 今天 → 记录走访 (夜访) → saved as 代录, counted for the member', async () => {
    const roster = new RosterPage(s.page);
    await roster.open(`?org=${KEJING_VILLAGES[0]}`);
    await roster.searchFor(MEMBER);
    await s.page.getByRole('button', { name: `${MEMBER} 的更多操作` }).first().click();
    await s.page.getByRole('menuitem', { name: '代录走访' }).click();

    const today = new TodayPage(s.page);
    await today.waitForLoaded();
    expect(await today.heading().textContent()).toBe(`代录走访：${MEMBER}`);
    expect(new URL(s.page.url()).searchParams.get('person')).toBe(h.memberId);
    await today.recordButton(`${h.head}户`).click();

    const form = new VisitNewPage(s.page);
    await form.waitForLoaded();
    await form.proxyNote().waitFor();
    expect(await form.proxyNote().textContent()).toBe(`代录：为 ${MEMBER} 记录`);
    await form.channel('夜访').click();
    await form.notes().fill('据走访记录本补记');
    await form.saveButton().click();

    // Back on the member's 今天 (still the 代录 view).
    await today.savedNote().waitFor();
    expect(new URL(s.page.url()).searchParams.get('person')).toBe(h.memberId);

    const visits = await visitsOf(s.page, h.id);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ channel: 'evening', proxy: true, personName: MEMBER, notes: '据走访记录本补记' });

    const household = new HouseholdPage(s.page);
    await household.open(h.id);
    await expect.poll(() => household.visitRows().count()).toBe(1);
    expect(await household.visitRows().first().textContent()).toMatch(/夜访.*李秀英.*代录/);
  });
});
