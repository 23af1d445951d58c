import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { checkDigit, randomBirthDate } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { BusinessListPage } from '../../pages/business-list-page.ts';
import { CoveragePage } from '../../pages/coverage-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { RegistryImportPage } from '../../pages/registry-import-page.ts';

/** A member of the secretary's village in the seed. */
const MEMBER = '李秀英';
const HEADER = ['村（社区）代码', '户主身份证号', '统一社会信用代码', '党员姓名', '党员工作电话', '联系类型', '更换原因'];

// Random per run (names and ID numbers), so the spec also passes against a long-running server. Area 419006 keeps these
// ID numbers apart from the other specs running in parallel in the same village.
const run = Math.floor(Math.random() * 400);
const chars = '春夏秋冬梅兰竹菊松柏山水云霞明清和顺安康';
const pick = () => chars[Math.floor(Math.random() * chars.length)]!;
const heads = [0, 1].map((i) => {
  const birth = randomBirthDate();
  const first17 = `419006${birth.replaceAll('-', '')}${String(2 * run + 1 + 2 * i).padStart(3, '0')}`; // odd: male
  return { name: `导联${pick()}${pick()}${'甲乙'[i]}`, birth, idNumber: first17 + checkDigit(first17) };
});
const householdName = (head: { name: string }) => `${head.name}户`;

/** Registers a household through the API from the page, with the session's CSRF token (as the web app does). */
async function registerHousehold(page: Page, orgCode: string, head: { name: string; birth: string; idNumber: string }): Promise<void> {
  await page.evaluate(
    async ({ orgCode, head }) => {
      const me = await fetch('/api/v1/auth/me', { headers: { accept: 'application/json' } }).then((r) => r.json());
      const res = await fetch('/api/v1/households', {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken },
        body: JSON.stringify({
          orgCode,
          address: `导入联户路${head.name}号`,
          residents: [{ name: head.name, sex: 'M', birthDate: head.birth, idNumber: head.idNumber, relation: '户主' }],
        }),
      });
      if (res.status !== 201) throw new Error(`register ${head.name}: ${res.status} ${await res.text()}`);
    },
    { orgCode, head },
  );
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('a village secretary imports 联户关系 from Excel (phone)', () => {
  let s: BrowserSession;
  let village = '';
  let before = 0;

  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('registers two households; the coverage page lists them as unlinked and offers 批量导入联户关系', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
    expect(KEJING_VILLAGES).toContain(village);
    for (const h of heads) await registerHousehold(s.page, village, h);
    await org.coverageLink().click();
    const cov = new CoveragePage(s.page);
    await cov.waitForLoaded();
    for (const h of heads) await cov.unlinkedRow(householdName(h)).waitFor();
    before = (await cov.numbers()).linked;
    await cov.importLink().click();
    const imp = new RegistryImportPage(s.page, 'links');
    await imp.heading().waitFor();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/import/links`);
    expect(await imp.heading().textContent()).toBe('批量导入联户关系');
    expect(await imp.limits().textContent()).toContain('300,000 行');
    await expectPhoneFriendly(s.page, 'import-links');
  });

  test('downloads the template: 说明, 联户关系 with its header and an example row for the village, 可选值', async () => {
    const { name, bytes } = await new RegistryImportPage(s.page, 'links').downloadTemplate();
    expect(name).toMatch(/\.xlsx$/);
    const wb = await readWorkbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '联户关系', '可选值']);
    expect((wb.getWorksheet('联户关系')!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(wb.getWorksheet('联户关系')!.getCell('A2').value).toBe(`示例：${village}`);
  });

  test('fills the template below its example row, uploads it and sees 导入成功: 已导入 2 条联户关系', async () => {
    const { bytes } = await new RegistryImportPage(s.page, 'links').downloadTemplate();
    const wb = await readWorkbook(bytes);
    const ws = wb.getWorksheet('联户关系')!;
    for (const h of heads) ws.addRow([village, h.idNumber, '', MEMBER, '', '主联系人']);
    const imp = new RegistryImportPage(s.page, 'links');
    expect(await imp.upload({ name: `联户关系${run}.xlsx`, buffer: Buffer.from(await wb.xlsx.writeBuffer()) })).toBe(202);
    expect(await imp.waitForFinished()).toBe('导入成功');
    expect(await imp.result().textContent()).toContain('已导入 2 条联户关系');
    await expectPhoneFriendly(s.page, 'import-links-done');
  });

  test('the coverage page shows them linked: gone from 未联系对象, 已联系 up by at least 2', async () => {
    await new RegistryImportPage(s.page, 'links').backToCoverage().click();
    const cov = new CoveragePage(s.page);
    await cov.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/coverage`);
    // The page may first show the cached figures while it refetches: wait for the new ones.
    await expect.poll(async () => (await cov.numbers()).linked, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
    await cov.unlinkedList().waitFor();
    for (const h of heads) await expect.poll(() => cov.unlinkedRow(householdName(h)).count(), { timeout: 10_000 }).toBe(0);
  });

  test('downloads 党员联户名册: both households under the member, names and addresses only (no ID numbers)', async () => {
    const { name, bytes } = await new CoveragePage(s.page).downloadRoster();
    expect(name).toMatch(/^党员联户名册-.*\.xlsx$/);
    const wb = await readWorkbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['联户名册', '未联系对象']);
    const rows: string[][] = [];
    wb.getWorksheet('联户名册')!.eachRow((r) => { rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))); });
    for (const h of heads) expect(rows.find((r) => r[6] === householdName(h))?.slice(2, 5)).toEqual([MEMBER, expect.any(String), '主联系人']);
    expect(JSON.stringify(rows)).not.toContain(heads[0]!.idNumber);
  });

  test('the businesses list and the village page lead to the imports of 企业商户 and 党员, phone-friendly', async () => {
    await new BusinessListPage(s.page).open(village);
    await s.page.getByRole('button', { name: 'Excel 导入' }).click();
    const biz = new RegistryImportPage(s.page, 'businesses');
    await biz.heading().waitFor();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/import/businesses`);
    expect(await biz.heading().textContent()).toBe('Excel 导入企业商户');
    await expectPhoneFriendly(s.page, 'import-businesses');

    const org = new OrgPage(s.page);
    await org.open(village);
    await s.page.getByRole('link', { name: /Excel 导入党员和志愿者/ }).click();
    const members = new RegistryImportPage(s.page, 'members');
    await members.heading().waitFor();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/import/members`);
    const { bytes } = await members.downloadTemplate();
    expect((await readWorkbook(bytes)).worksheets.map((w) => w.name)).toEqual(['说明', '党员', '可选值']);
    await expectPhoneFriendly(s.page, 'import-members');
  });
});
