import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { openLoggedIn } from '../../src/session.ts';
import { AuditPage } from '../../pages/audit-page.ts';
import { HouseholdPage } from '../../pages/household-page.ts';

const run = Math.floor(Math.random() * 1e6);
const head = '审计测';
/** This run's own reason: the shared server holds other specs' reveals too. */
const reason = `核实低保材料 ${run}`;

describe('审计查询', () => {
  let s: BrowserSession;
  let householdId: string;

  beforeAll(async () => {
    s = await openLoggedIn('office');
    await s.page.goto('/');
    const birth = randomBirthDate();
    householdId = await s.page.evaluate(async ({ village, address, name, birth, idNumber }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const res = await fetch('/api/v1/households', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
        body: JSON.stringify({ orgCode: village, address, residents: [{ name, sex: 'M', birthDate: birth, idNumber, relation: '户主', phone: '13700001234' }] }),
      });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
      return (await res.json()).data.id as string;
    }, { village: KEJING_VILLAGES[0]!, address: `审计村 ${run} 号`, name: head, birth, idNumber: syntheticIdNumber(birth, 'M', 1 + (run % 400)) });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('the office reveals a resident\'s phone, then finds that reveal with its reason in 审计查询 and in the household\'s 访问记录', async () => {
    const household = new HouseholdPage(s.page);
    await household.open(householdId);
    await household.openReveal(head, '电话');
    await household.confirmReveal(reason);
    expect(await household.revealedValue().textContent()).toContain('13700001234');
    await household.closeReveal();

    // The household page's own history (collapsed until opened).
    await s.page.getByRole('button', { name: /谁查看过、导出或修改过此住户/ }).click();
    const history = s.page.getByRole('region', { name: '访问记录' });
    await expect.poll(() => history.getByText(`原因：${reason}`).count()).toBe(1);

    const audit = new AuditPage(s.page);
    await audit.open();
    await audit.revealsLink().click();
    await s.page.waitForURL(/group=reveal/);
    const event = audit.event(reason);
    await expect.poll(() => event.count()).toBe(1);
    const text = await event.textContent();
    expect(text).toContain('查看居民完整号码');
    expect(text).toContain('office');
    expect(text).toContain(`${head}（审计村 ${run} 号）`);
    await audit.expand(reason);
    expect(await event.textContent()).toMatch(/字段\s*电话/);
    expect(await s.page.content()).not.toContain('13700001234');

    // The object's link leads back to the household.
    await event.getByRole('link', { name: new RegExp(head) }).click();
    await s.page.waitForURL(new RegExp(`/households/${householdId}`));
  });
});
