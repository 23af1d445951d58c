import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { RosterPage } from '../../pages/roster-page.ts';

// A name whose pinyin initials are certain (characters with one reading), random per run: the shared village is used by
// parallel specs and may hold earlier runs' people, so the spec finds only its own.
const CHARS: [string, string][] = [['甲', 'j'], ['乙', 'y'], ['丙', 'b'], ['丁', 'd'], ['戊', 'w'], ['庚', 'g'], ['辛', 'x'], ['壬', 'r'], ['癸', 'g'], ['寅', 'y']];
const picks = Array.from({ length: 4 }, () => CHARS[Math.floor(Math.random() * CHARS.length)]!);
const name = `连${picks.map((p) => p[0]).join('')}`;
const initials = `l${picks.map((p) => p[1]).join('')}`;
const tail = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
const phone = `1390391${tail}`;
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

describe('a village secretary keeps the branch roster', () => {
  let s: BrowserSession;
  let roster: RosterPage;
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
    roster = new RosterPage(s.page);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('opens 党员名册 from the navigation and adds a member with a phone, shown masked', async () => {
    await roster.navLink().first().click();
    await roster.waitForLoaded();
    expect(await roster.heading().textContent()).toMatch(/党员名册/);
    await roster.addMember({ name, memberSince: '2010-07-01', phone, birthYear: '1985' });
    await roster.searchFor(name);
    await roster.row(name).first().waitFor();
    expect(await roster.row(name).first().textContent()).toContain(`139****${tail}`);
    expect(await roster.list().textContent()).not.toContain(phone);
  });

  test('finds the member by pinyin initials and by phone tail', async () => {
    await roster.searchFor(initials);
    await roster.row(name).first().waitFor();
    await roster.searchFor(tail);
    await roster.row(name).first().waitFor();
  });

  test('edits a flag: 双报到 shows on the row', async () => {
    await roster.searchFor(name);
    await roster.toggleFlag(name, '双报到');
    await roster.row(name).filter({ hasText: '双报到' }).first().waitFor();
  });

  // Longer than the page object's 100 s wait for the dialog, so a stuck write fails with the dialog's own error
  // rather than a bare test timeout (seen twice under the full suite's load: the write waits on the shared village).
  test('records 迁出: the member leaves the current roster and is listed among those who left', async () => {
    await roster.recordLeave(name, '迁出', today);
    await roster.row(name).first().waitFor({ state: 'detached' });
    await roster.open(`?q=${encodeURIComponent(name)}&left=true`);
    await roster.row(name).filter({ hasText: '迁出' }).first().waitFor();
  }, 150_000);
});

describe('the roster on a phone', () => {
  test('shows cards with the masked phone and actions, fit for a phone', async () => {
    const p = await openLoggedIn('secretary', PHONE);
    try {
      const roster = new RosterPage(p.page);
      await roster.open();
      await roster.row('王建国').first().waitFor();
      await expectPhoneFriendly(p.page, 'roster');
    } finally {
      await p.close();
    }
  });
});
