import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { readDownload } from '../../src/download.ts';
import { pdfText } from '../../src/pdf-text.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { AccountsPage } from '../../pages/accounts-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { AppHeader } from '../../pages/app-header.ts';

// Names random per run: the spec shares the village with parallel specs and may run against a long-lived server.
const chars = '春夏秋冬梅兰竹菊松柏山水云霞明清和顺安康';
const pick = () => chars[Math.floor(Math.random() * chars.length)]!;
const names = ['甲', '乙', '丙'].map((x) => `开户${pick()}${pick()}${x}`);
const username = `e2e-${Math.floor(Math.random() * 1e8)}`;

/** Adds members to the village through the members import (the app's own path), and waits for the merge. */
async function importMembers(page: Page, village: string, people: string[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('党员');
  sheet.addRow(['村（社区）代码', '姓名', '性别', '出生年份', '工作电话', '入党日期', '类别', '流动党员']);
  for (const n of people) sheet.addRow([village, n, '男', '1980', '', '2005-07-01', '党员', '否']);
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  const res = await page.request.post('/api/v1/imports/members', {
    headers: { 'x-csrf-token': me.data.csrfToken, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    data: Buffer.from(await wb.xlsx.writeBuffer()),
  });
  expect(res.status(), await res.text()).toBe(202);
  const id = (await res.json()).data.id as string;
  for (let i = 0; i < 120; i++) {
    const job = (await (await page.request.get(`/api/v1/imports/${id}`)).json()).data;
    if (job.status === 'done') return;
    if (job.status === 'failed') throw new Error(`members import failed: ${JSON.stringify(job)}`);
    await page.waitForTimeout(500);
  }
  throw new Error('members import did not finish');
}

describe('a village secretary opens accounts for the branch’s members and prints the slips (phone)', () => {
  let s: BrowserSession;
  let village = '';
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('adds three members to the branch, then finds 账号管理 in the navigation', async () => {
    // The secretary's branch: the demo secretary's village is 克井镇's first.
    village = KEJING_VILLAGES[0]!;
    const org = new OrgPage(s.page);
    await org.open(village);
    await importMembers(s.page, village, names);
    const accounts = new AccountsPage(s.page);
    // On a phone the navigation sits in the 菜单 drawer.
    await new AppHeader(s.page).menuButton().click();
    await accounts.navLink().click();
    await s.page.getByRole('dialog', { name: '菜单' }).waitFor({ state: 'hidden' });
    await accounts.waitForLoaded();
    expect(await accounts.heading().textContent()).toBe('账号管理');
    // The demo member's account is the secretary's to manage; the secretary's own is not listed.
    await accounts.searchFor('member');
    await accounts.row(/李秀英|member/).first().waitFor();
    await expectPhoneFriendly(s.page, 'accounts');
  });

  test('opens one account from the roster: the one-time password is shown once and logs in; 重置密码 gives a new one', async () => {
    const accounts = new AccountsPage(s.page);
    const password = await accounts.createForPerson(names[2]!, username);
    expect(password).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await accounts.passwordDialog().getByRole('button', { name: '我已记下' }).click();
    // Logged in from outside this browser, whose cookie stays the secretary's.
    const login = await fetch(new URL('/api/v1/auth/login', inject('baseURL')), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    await accounts.searchFor(username);
    await accounts.row(username).waitFor();
    await accounts.rowAction(username, '重置密码');
    const fresh = (await accounts.oneTimePassword().textContent())!.trim();
    expect(fresh).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(fresh).not.toBe(password);
    await accounts.passwordDialog().getByRole('button', { name: '我已记下' }).click();
  });

  test('为本支部党员开通账号 downloads the 开通通知单 once: a PDF with the new members’ names', async () => {
    const accounts = new AccountsPage(s.page);
    await accounts.open();
    const { download, summary } = await accounts.openAccountsForBranch();
    expect(summary).toMatch(/已开通 \d+ 个账号/);
    expect(download.suggestedFilename()).toMatch(/账号开通通知单\.pdf$/);
    const bytes = await readDownload(download);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain('连心账号开通通知单');
    for (const n of names.slice(0, 2)) expect(text).toContain(n);
    // Who already had an account is not opened again.
    expect(text).not.toContain(names[2]);
    await accounts.closeDialog();
    // The new accounts are listed, never logged in and waiting for a password change.
    await accounts.searchFor(names[0]!);
    const row = accounts.row(names[0]!);
    await row.waitFor();
    expect(await row.textContent()).toMatch(/从未登录/);
    expect(await row.textContent()).toMatch(/待改密码/);
  });
});
