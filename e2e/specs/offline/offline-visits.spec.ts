import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/accounts.ts';
import { openBrowser, type BrowserSession } from '../../src/browser.ts';
import { PHONE } from '../../src/session.ts';
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
      // Two visits as the queue keeps them (features/offline/offline-db.ts), one with a photo: what 保存 stores with
      // no network. (The spec below records them through the form once the visits API and form are merged.)
      await s.page.evaluate(async (png) => {
        const owner = (JSON.parse(localStorage.getItem('lianxin.me') ?? '{}') as { account?: { id: string } }).account?.id;
        if (!owner) throw new Error('no remembered session');
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('lianxin-offline');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const tx = db.transaction('visits', 'readwrite');
        const store = tx.objectStore('visits');
        const photo = new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: 'image/png' });
        for (const [i, photos] of [[], [photo]].entries()) {
          const id = crypto.randomUUID();
          store.put({
            id, owner, subjectName: `离线测试${i + 1}户`, photos, queuedAt: new Date(Date.now() + i).toISOString(),
            state: 'pending', reason: null, saved: false, photosSent: 0,
            input: { id, householdId: crypto.randomUUID(), visitedAt: new Date().toISOString(), channel: i ? 'phone' : 'in_person', residentIds: [], notes: '', items: [] },
          });
        }
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }, TINY_PNG.toString('base64'));

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

/**
 * The story, through the real form and API (lanes 1 and 4: POST /api/v1/visits/sync, photo PUTs, 今天 and
 * 记录走访): with no network the member records two visits, one with a photo; a reload still offline lists them
 * (the shell from the service worker, the queue from IndexedDB); the tab is closed, the app opened again on the same
 * phone, the network comes back, and the server has both visits exactly once.
 */
describe('offline: a member records two visits with no signal, and they are synced exactly once', () => {
  const phone = phoneProfile();
  let h: { id: string; head: string };
  beforeAll(async () => {
    h = await registerHouseholdForMember();
  });
  afterAll(() => phone.remove());

  test('two visits (one with a photo) wait under 待同步 through a reload and a closed tab, then reach the server once each', async () => {
    const name = `${h.head}户`;
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
    } finally {
      await s.close();
    }
  }, 300_000);
});
