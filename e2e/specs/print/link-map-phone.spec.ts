import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { LinkMapPage } from '../../pages/link-map-page.ts';

/** A member of the secretary's village (server/src/seed/accounts.ts). */
const MEMBER = '李秀英';
const run = Math.floor(Math.random() * 1e6);
const head = `示意${'甲乙丙丁戊己庚辛'[run % 8]}${'春夏秋冬'[run % 4]}${'东南西北'[(run >> 3) % 4]}`;
const birth = randomBirthDate();
const idNumber = syntheticIdNumber(birth, 'M', 1 + (run % 499) * 2);

/** 联户示意图 on a phone: the A3 sheet is unreadable at 390 px, so the page reads as a list per member. */
describe('the link map on a phone (390×844) lists each member with their households', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
    await s.page.goto('/');
    await s.page.evaluate(async ({ village, member, head, idNumber, birth }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
      const hh = await fetch('/api/v1/households', {
        method: 'POST', headers,
        body: JSON.stringify({ orgCode: village, address: `示意图测试路${head}号`, residents: [{ name: head, sex: 'M', birthDate: birth, idNumber, relation: '户主' }] }),
      });
      if (hh.status !== 201) throw new Error(`register: ${hh.status} ${await hh.text()}`);
      const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
      const person = members.data.find((m: { name: string }) => m.name === member);
      const link = await fetch('/api/v1/links', { method: 'POST', headers, body: JSON.stringify({ personId: person.id, householdId: (await hh.json()).data.id }) });
      if (link.status !== 201) throw new Error(`link: ${link.status} ${await link.text()}`);
    }, { village: KEJING_VILLAGES[0]!, member: MEMBER, head, idNumber, birth });
  });
  afterAll(async () => {
    await s?.close();
  });

  test('reads the member\'s card: name, work phone to call, and the household linked to them; no sheet', async () => {
    const map = new LinkMapPage(s.page);
    await map.open(KEJING_VILLAGES[0]!);
    const card = map.memberCard(MEMBER);
    await card.waitFor();
    expect(await card.getByRole('listitem').allTextContents()).toContainEqual(expect.stringContaining(`${head}户`));
    const call = card.getByRole('link', { name: /拨打/ });
    if (await call.count()) expect(await call.getAttribute('href')).toMatch(/^tel:[\d+]+$/);
    expect(await map.map().count()).toBe(0);
    await expectPhoneFriendly(s.page, 'link-map-list');
  });
});
