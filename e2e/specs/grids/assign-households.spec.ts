import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, KEJING_VILLAGES } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { PageAudit } from '../../src/page-audit.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { assignToGrid, GridsPage, selectRows } from '../../pages/grids-page.ts';
import { HouseholdsPage } from '../../pages/households-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

// Random per run: the shared e2e village is used by parallel specs, so everything here is this run's own.
const run = Math.floor(Math.random() * 1e6);
const gridName = `网格${run}`;
const street = `划网路${run}`;
const heads = [`网甲${run % 1000}`, `网乙${run % 1000}`];
const village = KEJING_VILLAGES[0]!;
/** The grid holding the two households at the end (the merge's survivor). */
let gridShown = gridName;

describe('a village secretary divides the village into grids (on a phone)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
    // Two households of this run, registered through the API as the app would.
    await s.page.evaluate(async ({ village, street, heads, ids }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
      for (const [i, name] of heads.entries()) {
        const res = await fetch('/api/v1/households', {
          method: 'POST', headers,
          body: JSON.stringify({ orgCode: village, address: `${street}${i + 1}号`, residents: [{ name, sex: 'M', birthDate: ids[i]!.birth, idNumber: ids[i]!.id, relation: '户主' }] }),
        });
        if (res.status !== 201) throw new Error(`household: ${res.status} ${await res.text()}`);
      }
    }, { village, street, heads, ids: heads.map((_, i) => { const birth = randomBirthDate(); return { birth, id: syntheticIdNumber(birth, 'M', 1 + ((run + i * 7) % 499) * 2) }; }) });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('opens 网格 from the village page and creates a grid', async () => {
    const org = new OrgPage(s.page);
    await org.open(village);
    await s.page.getByRole('link', { name: /^网格 · / }).click();
    const grids = new GridsPage(s.page);
    await grids.heading().waitFor();
    await grids.create(gridName);
    expect(await grids.row(gridName).textContent()).toContain('未设');
    expect(await grids.householdCount(gridName).textContent()).toBe('0');
    await expectPhoneFriendly(s.page, 'grids');
  });

  test('selects the two households on the list and moves them into the grid with 划入网格', async () => {
    const list = new HouseholdsPage(s.page);
    await list.open(village);
    await list.searchFor(street);
    // The filtered rows replace the unfiltered ones a moment after the address changes (a loaded CI machine once
    // counted 0 here): wait for them.
    await expect.poll(() => list.rows().count(), { timeout: 15_000 }).toBe(2);
    await selectRows(s.page, heads.map((h) => `${h}户`));
    await expectPhoneFriendly(s.page, 'households-selecting');
    await assignToGrid(s.page, gridName);
    for (const h of heads) expect(await list.row(`${h}户`).textContent()).toContain(gridName);
  });

  test('sees the two households counted in the grid', async () => {
    const grids = new GridsPage(s.page);
    await grids.open(village);
    await expect.poll(async () => grids.householdCount(gridName).textContent()).toBe('2');
  });

  test('merges the grid into a new one: the dialog says what will move, then the households follow', async () => {
    const grids = new GridsPage(s.page);
    const second = `片区${run}`;
    await grids.create(second);
    const preview = await grids.startMerge(gridName, second);
    expect(preview).toContain(`将移入「${second}」：住户 2 户`);
    await grids.confirmMerge(gridName, second);
    await expect.poll(async () => grids.householdCount(second).textContent()).toBe('2');
    expect(await grids.row(gridName).count()).toBe(0);
    const list = new HouseholdsPage(s.page);
    await list.open(village);
    await list.searchFor(street);
    for (const h of heads) expect(await list.row(`${h}户`).textContent()).toContain(second);
    gridShown = second;
  });

  test('the grids page with a grid in use has no error, console error or serious axe violation on a desktop', async () => {
    const d = await openBrowser({ baseURL: inject('baseURL'), viewport: { width: 1366, height: 768 } });
    try {
      const login = new LoginPage(d.page);
      await login.open();
      await login.logInAndWait('secretary', DEMO_PASSWORD);
      const audit = await PageAudit.attach(d.context, inject('baseURL'));
      await audit.visit(d.page, `/orgs/${village}/grids`, 'secretary desktop grids');
      expect(await new GridsPage(d.page).householdCount(gridShown).textContent()).toBe('2');
      expect(audit.problems).toEqual([]);
    } finally {
      await d.close();
    }
  });
});
