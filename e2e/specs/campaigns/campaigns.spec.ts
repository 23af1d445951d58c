import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { DEMO_MEMBER_NAME, registerLinkedToMember } from '../../src/linked-fixtures.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { CampaignPage, CampaignsPage } from '../../pages/campaigns-page.ts';

const VILLAGE = KEJING_VILLAGES[0]!;
const run = Math.floor(Math.random() * 1e6);
/** A day in Asia/Shanghai, `offset` days from today. */
const shanghaiDay = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 10);

/**
 * 集中走访 end to end: the town creates a campaign over the secretary's village, the member records a visit to one
 * of their households (through the visits API, as the phone does), and the secretary sees the figure move, drills down
 * to the member and finds only the unvisited ones in the pending list — which exports and prints.
 */
describe('集中走访: create, progress moves with a visit, drill-down to the pending list', () => {
  let town: BrowserSession;
  let sec: BrowserSession;
  let fixture: { householdId: string; businessId: string };
  let headName: string;
  let headAddress: string;
  let shopName: string;
  let campaignId: string;
  let before: [number, number];

  beforeAll(async () => {
    fixture = await registerLinkedToMember();
    town = await openLoggedIn('town');
    sec = await openLoggedIn('secretary');
    await sec.page.goto('/');
    ({ headName, headAddress, shopName } = await sec.page.evaluate(async (f) => {
      const h = await fetch(`/api/v1/households/${f.householdId}`).then((r) => r.json());
      const b = await fetch(`/api/v1/businesses/${f.businessId}`).then((r) => r.json());
      return { headName: h.data.residents[0].name as string, headAddress: h.data.address as string, shopName: b.data.name as string };
    }, fixture));
  }, 120_000);
  afterAll(async () => { await town?.close(); await sec?.close(); });
  /** This spec's household: other specs' households may share its head's name (never its address together with it). */
  const householdRow = (page: CampaignPage) => page.pendingRow(headName).filter({ hasText: headAddress });

  test('the town creates a campaign over one village; it opens with nothing visited yet', async () => {
    const villageName = await town.page.evaluate(async (code) => (await fetch(`/api/v1/orgs/${code}`).then((r) => r.json())).data.name as string, VILLAGE);
    const list = new CampaignsPage(town.page);
    await list.open();
    await list.create({ name: `七一前走访${run}`, scope: villageName, startsOn: shanghaiDay(0), endsOn: shanghaiDay(20), deadline: shanghaiDay(15) });
    const page = new CampaignPage(town.page);
    campaignId = await page.idFromUrl();
    await page.totals().waitFor();
    before = await page.visitedFigures();
    expect(before[1]).toBeGreaterThanOrEqual(2);
    expect(await page.asOf().textContent()).toMatch(/数据截至 \d{4}-\d\d-\d\d \d\d:\d\d/);
    // A village's rows are its members (as linked when the campaign was created).
    await page.rows().getByText(DEMO_MEMBER_NAME).first().waitFor();
    await householdRow(page).waitFor();
    await page.pendingRow(shopName).waitFor();
  }, 120_000);

  test('after the member visits one household, the secretary sees +1 visited and only the shop left for the member', async () => {
    const member = await openLoggedIn('member');
    try {
      await member.page.goto('/');
      const status = await member.page.evaluate(async (householdId) => {
        const me = await fetch('/api/v1/auth/me').then((r) => r.json());
        const res = await fetch('/api/v1/visits', {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
          body: JSON.stringify({ id: crypto.randomUUID(), householdId, visitedAt: new Date().toISOString(), channel: 'in_person' }),
        });
        return res.status;
      }, fixture.householdId);
      expect(status).toBe(201);
    } finally {
      await member.close();
    }

    const page = new CampaignPage(sec.page);
    await page.open(campaignId);
    // At least +1: the campaign covers the whole village, and specs running beside this one visit their own
    // households there too (this household's own visit is checked in the pending list below).
    await expect.poll(async () => (await page.visitedFigures())[0], { timeout: 10_000 }).toBeGreaterThanOrEqual(before[0] + 1);
    // The village's pending list keeps the shop and drops the visited household; so does the member's, one tap down.
    await page.pendingRow(shopName).waitFor();
    expect(await householdRow(page).count()).toBe(0);
    await page.rows().getByRole('link').filter({ hasText: DEMO_MEMBER_NAME }).first().click();
    await sec.page.waitForURL(/person=/);
    await page.pending().getByRole('heading', { name: new RegExp(`^${DEMO_MEMBER_NAME}名下未走访的对象`) }).waitFor();
    expect(await householdRow(page).count()).toBe(0);

    expect(await page.exportLink().getAttribute('href')).toMatch(/\/pending\/export\?person=[0-9a-f-]+$/);

    // On paper: only the list (the app's header and the figures are hidden by the print CSS).
    await sec.page.emulateMedia({ media: 'print' });
    try {
      expect(await page.pending().isVisible()).toBe(true);
      expect(await page.totals().evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
      expect(await page.exportLink().isVisible()).toBe(false);
    } finally {
      await sec.page.emulateMedia({ media: 'screen' });
    }
  }, 120_000);

  test('the secretary home shows the campaign among 集中走访进度', async () => {
    await sec.page.goto('/');
    const card = sec.page.getByRole('heading', { level: 2, name: '集中走访进度' });
    await card.waitFor();
    await sec.page.getByRole('link', { name: new RegExp(`七一前走访${run}`) }).first().waitFor();
  });

  test('the town closes the campaign: it is listed under 已结束', async () => {
    const page = new CampaignPage(town.page);
    await page.open(campaignId);
    await page.closeCampaign();
    await town.page.getByText('已结束').first().waitFor();
    await town.page.goto('/campaigns?status=closed');
    await new CampaignsPage(town.page).card(`七一前走访${run}`).waitFor();
  });
});

describe('集中走访 on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => { s = await openLoggedIn('secretary', PHONE); });
  afterAll(async () => { await s?.close(); });

  test('the list and a campaign page fit, with 44 px targets and 14 px text', async () => {
    const list = new CampaignsPage(s.page);
    await s.page.goto('/campaigns?status=all');
    await list.heading().waitFor();
    await expectPhoneFriendly(s.page, 'campaigns');
    const first = s.page.getByRole('link', { name: /›$/ }).first();
    if (await first.count()) {
      await first.click();
      await new CampaignPage(s.page).totals().waitFor();
      await expectPhoneFriendly(s.page, 'campaign');
    }
  });
});
