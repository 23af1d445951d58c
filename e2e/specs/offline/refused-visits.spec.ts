import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserSession } from '../../src/browser.ts';
import { openLoggedIn, PHONE } from '../../src/session.ts';
import { HomePage } from '../../pages/home-page.ts';
import { OfflineQueueCard } from '../../pages/offline-queue-card.ts';
import { registerHouseholdForMember, visitsOf, type VisitHousehold } from '../visits/fixtures.ts';

/** Now in Asia/Shanghai as an <input type="datetime-local"> value, `minutes` from now. */
const shanghaiLocal = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16).replace(' ', 'T');

/**
 * What the member sees when the server will not take a visit from the phone's queue: the reason, under 待同步, and the
 * visit kept — corrected and sent again (修改 → 重新提交), or deleted on purpose (删除, confirmed). Two refusals a
 * phone really meets: its clock ran a day ahead when the visit was saved (走访时间不能晚于现在), and the household was
 * removed from the registry meanwhile (未找到该走访对象). Both are put into the queue as 保存 offline stores them.
 */
describe('offline: a visit the server refuses comes back with its reason, to correct or to delete', () => {
  let h: VisitHousehold;
  let s: BrowserSession;
  beforeAll(async () => {
    h = await registerHouseholdForMember();
    s = await openLoggedIn('member', PHONE);
  }, 120_000);
  afterAll(async () => { await s?.close(); });

  test('a refused visit shows its reason and stays; 修改 + 重新提交 sends it once; 删除 removes it from the phone and the server never sees it', async () => {
    const home = new HomePage(s.page);
    await s.page.goto('/');
    await home.waitForLoaded();
    const queue = new OfflineQueueCard(s.page);
    const gone = randomUUID();
    await queue.putQueued([
      { subjectName: `${h.head}户`, input: { householdId: h.id, visitedAt: new Date(Date.now() + 86_400_000).toISOString(), channel: 'in_person', notes: '手机时间快了一天' } },
      { subjectName: '已注销户', input: { householdId: gone, visitedAt: new Date().toISOString(), channel: 'phone' } },
    ]);
    await s.page.reload(); // the queue is sent when the app starts
    await home.waitForLoaded();

    await queue.refusal(`${h.head}户`).filter({ hasText: '走访时间不能晚于现在' }).waitFor();
    await queue.refusal('已注销户').filter({ hasText: '未被接收' }).waitFor();
    expect(await queue.count()).toBe(2);
    expect(await visitsOf(s.page, h.id)).toHaveLength(0);

    // 修改: the time as it really was, a note added; 重新提交 sends it.
    await queue.correctAndResend(`${h.head}户`, { time: shanghaiLocal(-5), notes: '手机时间快了一天，已改正' });
    await expect.poll(async () => (await visitsOf(s.page, h.id)).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => queue.count(), { timeout: 15_000 }).toBe(1);
    const [saved] = await visitsOf(s.page, h.id);
    expect(saved!.notes).toBe('手机时间快了一天，已改正');
    expect(saved!.channel).toBe('in_person');

    // 删除, confirmed: off the phone; it was never on the server.
    await queue.deleteRefused('已注销户');
    await expect.poll(() => queue.count(), { timeout: 15_000 }).toBe(0);
    const status = await s.page.evaluate(async (id) => (await fetch(`/api/v1/visits?household=${id}`)).status, gone);
    expect(status).toBe(404);

    // After a reload nothing comes back: the phone's queue is empty.
    await s.page.reload();
    await home.waitForLoaded();
    await s.page.getByRole('button', { name: `记录走访 ${h.head}户` }).waitFor();
    expect(await queue.count()).toBe(0);
  }, 240_000);
});
