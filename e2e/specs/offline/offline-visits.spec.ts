import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD, KEJING_VILLAGES } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { pdfText } from '../../src/pdf-text.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { CampaignPage } from '../../pages/campaigns-page.ts';
import { HandbookPage } from '../../pages/handbook-page.ts';
import { HomePage } from '../../pages/home-page.ts';
import { LoginPage } from '../../pages/login-page.ts';
import { OfflineQueueCard } from '../../pages/offline-queue-card.ts';
import { registerHouseholdForMember, TINY_PNG, visitsOf } from '../visits/fixtures.ts';


/** The phone: one browser profile (user-data-dir) that outlives a closed tab, as the member's phone does. */
function phoneProfile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianxin-e2e-phone-'));
  return {
    dir,
    open: () => openBrowser({ baseURL: inject('baseURL'), ...PHONE, userDataDir: dir }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Logs in as the member, opens the home page and waits until the service worker controls it (the shell offline). */
async function memberWithServiceWorker(s: BrowserSession): Promise<HomePage> {
  const login = new LoginPage(s.page);
  await login.open();
  await login.logInAndWait('member', DEMO_PASSWORD);
  const home = new HomePage(s.page);
  await home.waitForLoaded();
  // The 待同步 card registers the worker; a page is controlled by it from its next load on.
  await s.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await s.page.reload();
  await home.waitForLoaded();
  expect(await s.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  return home;
}

/** Goes to `/` with no network: the app shell must come from the service worker. */
async function openHomeOffline(s: BrowserSession): Promise<HomePage> {
  await s.context.setOffline(true);
  await s.page.goto('/');
  const home = new HomePage(s.page);
  await home.waitForLoaded();
  return home;
}

describe('offline: the app shell and the visits waiting on the phone', () => {
  const phone = phoneProfile();
  afterAll(() => phone.remove());

  test('the shell opens offline from the service worker; visits waiting in IndexedDB are listed after a reload and after the tab is closed and the app opened again', async () => {
    let s = await phone.open();
    try {
      await memberWithServiceWorker(s);
      await openHomeOffline(s);
      // Two visits as the queue keeps them, one with a photo: what 保存 stores with no network (made-up households).
      await new OfflineQueueCard(s.page).putQueued([1, 2].map((i) => ({
        subjectName: `离线测试${i}户`, photos: i === 2 ? [TINY_PNG.toString('base64')] : [],
        input: { householdId: randomUUID(), visitedAt: new Date().toISOString(), channel: i === 2 ? 'phone' : 'in_person' },
      })));

      await s.page.reload();
      const queue = new OfflineQueueCard(s.page);
      await queue.title().waitFor();
      await expect.poll(() => queue.count()).toBe(2); // the card's first render may say 0 before IndexedDB answers
      expect(await queue.items().count()).toBe(2);
      expect(await queue.items().nth(1).textContent()).toContain('离线测试2户 · 电话');
      expect(await queue.items().nth(1).textContent()).toContain('1 张照片');
      await queue.offlineNote().waitFor();

      // The tab is closed; the app is opened again on the same phone, still with no signal.
      await s.close();
      s = await phone.open();
      await openHomeOffline(s);
      const again = new OfflineQueueCard(s.page);
      await again.title().waitFor();
      await expect.poll(() => again.count()).toBe(2);
    } finally {
      // These two were never meant for the server (made-up households): off the phone before it goes online.
      await s.page.evaluate(() => new Promise((resolve) => {
        const r = indexedDB.deleteDatabase('lianxin-offline');
        r.onsuccess = r.onerror = r.onblocked = resolve;
      })).catch(() => {});
      await s.close();
    }
    // Two browser starts, a login, the service worker's install and three loads: slow on a loaded 2-core machine.
  }, 240_000);
});

/** A day in Asia/Shanghai, `offset` days from today. */
const shanghaiDay = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 10);

/**
 * The story, through the real form and API (POST /api/v1/visits/sync, photo PUTs, 今天 and 记录走访): with no
 * network the member records two visits, one with a photo; a reload still offline lists them (the shell from the
 * service worker, the queue from IndexedDB); the tab is closed, the app opened again on the same phone, the network
 * comes back, and the server has both visits exactly once; the secretary's campaign progress moves (the household
 * leaves the member's 未走访 list) and the month's handbook PDF holds both visits.
 */
describe('offline: a member records two visits with no signal, and they are synced exactly once', () => {
  const phone = phoneProfile();
  let h: { id: string; head: string; memberId: string };
  let campaignId: string;
  beforeAll(async () => {
    h = await registerHouseholdForMember();
    // A campaign over the village, created by the town after the household was linked: it is one of its targets.
    const town = await openLoggedIn('town');
    try {
      await town.page.goto('/');
      campaignId = await town.page.evaluate(async (c) => {
        const me = await fetch('/api/v1/auth/me').then((r) => r.json());
        const res = await fetch('/api/v1/campaigns', {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
          body: JSON.stringify(c),
        });
        if (res.status !== 201) throw new Error(`campaign: ${res.status} ${await res.text()}`);
        return (await res.json()).data.id as string;
      }, { name: `离线走访${h.head}`, orgCode: KEJING_VILLAGES[0]!, startsOn: shanghaiDay(0), endsOn: shanghaiDay(10) });
    } finally {
      await town.close();
    }
  }, 120_000);
  afterAll(() => phone.remove());

  /**
   * The secretary's view of the campaign at the member: the 未走访 count the page shows, and whether the household is
   * still among them (asked of the API with one page of 200: the page lists 50 at a time, in the targets' order).
   */
  async function pendingForMember(): Promise<{ shown: number; household: boolean }> {
    const sec = await openLoggedIn('secretary');
    try {
      const page = new CampaignPage(sec.page);
      await page.open(campaignId, { person: h.memberId });
      const shown = await page.pendingTotal();
      const household = await sec.page.evaluate(async ({ id, person, household }) => {
        const res = await fetch(`/api/v1/campaigns/${id}/pending?person=${person}&limit=200`);
        if (res.status !== 200) throw new Error(`pending: ${res.status} ${await res.text()}`);
        return ((await res.json()).data as { id: string }[]).some((t) => t.id === household);
      }, { id: campaignId, person: h.memberId, household: h.id });
      return { shown, household };
    } finally {
      await sec.close();
    }
  }

  test('two visits (one with a photo) wait under 待同步 through a reload and a closed tab, then reach the server once each', async () => {
    const name = `${h.head}户`;
    const before = await pendingForMember();
    expect(before.household).toBe(true);
    let s = await phone.open();
    try {
      await memberWithServiceWorker(s);
      // 今天 was seen online once (its copy is kept); then the signal is gone.
      await s.page.getByRole('button', { name: `记录走访 ${name}` }).waitFor();
      await openHomeOffline(s);
      await s.page.getByText(/^离线数据，更新于 /).waitFor();

      // First visit: the defaults (入户, now), 保存.
      await s.page.getByRole('button', { name: `记录走访 ${name}` }).click();
      await s.page.getByRole('button', { name: '保存', exact: true }).click();
      await s.page.getByText('已存在手机上，联网后自动上传').waitFor();
      // Second: by phone, with a photo.
      await s.page.getByRole('button', { name: `记录走访 ${name}` }).click();
      await s.page.getByRole('radiogroup', { name: '走访方式' }).getByText('电话', { exact: true }).click();
      await s.page.getByLabel('添加照片').setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: TINY_PNG });
      await s.page.getByRole('img', { name: '照片 1' }).waitFor();
      await s.page.getByRole('button', { name: '保存', exact: true }).click();
      await s.page.getByText('已存在手机上，联网后自动上传').last().waitFor();

      const queue = new OfflineQueueCard(s.page);
      await queue.title().waitFor();
      await expect.poll(() => queue.count()).toBe(2); // the card's first render may say 0 before IndexedDB answers
      await s.page.reload();
      await queue.title().waitFor();
      await expect.poll(() => queue.count()).toBe(2); // the card's first render may say 0 before IndexedDB answers
      expect(await queue.items().nth(1).textContent()).toContain('1 张照片');

      // The tab is closed. Later the app is opened again on the same phone, with the network back.
      await s.close();
      s = await phone.open();
      await s.page.goto('/');
      await new HomePage(s.page).waitForLoaded();
      // The queue drains by itself (on start and on 'online'); the server then holds both visits, once each. (Polling
      // the card alone would pass before it had even rendered: an absent card also counts 0.)
      await expect.poll(async () => (await visitsOf(s.page, h.id)).length, { timeout: 60_000 }).toBe(2);
      const synced = new OfflineQueueCard(s.page);
      await expect.poll(() => synced.count(), { timeout: 30_000 }).toBe(0);
      const visits = await visitsOf(s.page, h.id);
      expect(visits).toHaveLength(2);
      expect(visits.map((v) => v.channel).sort()).toEqual(['in_person', 'phone']);
      expect(visits.find((v) => v.channel === 'phone')!.photos).toHaveLength(1);
      // The form offline knew who is at home (from the phone's copy of 今天) and ticked them by default.
      expect(visits.find((v) => v.channel === 'in_person')!.residents.map((r) => r.name)).toEqual([h.head]);

      // The month's 工作手册 on the phone, printed: both visits are in it.
      const hb = new HandbookPage(s.page);
      await hb.open();
      const text = await pdfText((await hb.downloadPdf()).bytes);
      // Each visit's line: time, channel, 「<head>户」 (the text layer gives the ideographic space as a space).
      expect(text).toMatch(new RegExp(`入户\\s+${h.head}户`));
      expect(text).toMatch(new RegExp(`电话\\s+${h.head}户`));
    } finally {
      await s.close();
    }
    // The secretary's campaign: the household left the member's 未走访 list, and the count shown fell (targets are fixed
    // at creation, so other specs' visits can only lower it further).
    const after = await pendingForMember();
    expect(after.household).toBe(false);
    expect(after.shown).toBeLessThanOrEqual(before.shown - 1);
  }, 420_000);
});
