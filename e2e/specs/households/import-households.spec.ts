import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { checkDigit, randomBirthDate } from '../../src/id-numbers.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { readPdf } from '../../../server/test/pdf.ts';
import { CoveragePage } from '../../pages/coverage-page.ts';
import { HouseholdsPage } from '../../pages/households-page.ts';
import { ImportPage } from '../../pages/import-page.ts';
import { LinkMapPage } from '../../pages/link-map-page.ts';
import { OrgPage } from '../../pages/org-page.ts';
import { PublicCardPage } from '../../pages/public-card-page.ts';
import { openBrowser } from '../../src/browser.ts';


// Random per run (the spec also passes against a long-running server). Area code 419004 keeps these ID numbers apart
// from register-household.spec.ts (419001), which runs in parallel in the same village.
const run = Math.floor(Math.random() * 120);
const seq = (n: number) => 8 * run + n; // 1–967: a 3-digit sequence
function idNumber(birthDate: string, sex: 'M' | 'F', n: number): string {
  let s = n;
  if ((s % 2 === 1) !== (sex === 'M')) s += 1;
  const first17 = `419004${birthDate.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}
function wrongCheckDigit(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

type Household = [key: string, village: string, address: string, tags: string, grid: string];
type Resident = [key: string, name: string, sex: string, birth: string, id: string, phone: string, relation: string, awayScope: string, awayPlace: string];

const headName = `导入户主${run}`;
const address = (n: number) => `导入测试路${run}号${n}户`;
function person(key: string, name: string, relation: string, sex: 'M' | 'F', seq: number): Resident {
  const birth = randomBirthDate();
  return [key, name, sex === 'M' ? '男' : '女', birth, idNumber(birth, sex, seq), '', relation, '', ''];
}
const UNKNOWN_VILLAGE = '419001199999';

/** 3 households / 5 residents in the village; `bad` makes household 2's village unknown and resident 2's check digit wrong. */
function data(village: string) {
  const households: Household[] = [
    ['1', village, address(1), '', ''],
    ['2', village, address(2), '', ''],
    ['3', village, address(3), '', ''],
  ];
  const residents: Resident[] = [
    person('1', headName, '户主', 'M', seq(1)),
    person('1', `导入配偶${run}`, '配偶', 'F', seq(2)),
    person('2', `导入二户${run}`, '户主', 'F', seq(4)),
    person('3', `导入三户${run}`, '户主', 'M', seq(5)),
    person('3', `导入三子${run}`, '子', 'M', seq(7)),
  ];
  return { households, residents };
}
async function workbook(households: Household[], residents: Resident[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const hs = wb.addWorksheet('住户');
  hs.addRow(['户编号', '村（社区）代码', '地址', '标签', '网格代码']);
  for (const h of households) hs.addRow(h);
  const rs = wb.addWorksheet('居民');
  rs.addRow(['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点']);
  for (const r of residents) rs.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

let failedJob = '';
let brokenJob = '';
/** A member of the secretary's village in the e2e seed. */
const MEMBER = '王建国';
const importedHeads = () => [headName, `导入二户${run}`, `导入三户${run}`];
let cardUrl = '';

describe('a village secretary imports households from Excel', () => {
  let s: BrowserSession;
  let village = '';
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('opens the import page from the household list (Excel 导入 next to 新增住户)', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
    expect(KEJING_VILLAGES).toContain(village);
    const list = new HouseholdsPage(s.page);
    await list.open(village);
    await s.page.getByRole('button', { name: 'Excel 导入' }).click();
    const imp = new ImportPage(s.page);
    await imp.heading().waitFor();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/households/import`);
    const limits = await imp.limits().textContent();
    expect(limits).toContain('300,000 行');
    expect(limits).toContain('100 MB');
  });

  test('downloads the template: 说明, 住户, 居民, 可选值, with an example row prefilled with the village', async () => {
    const { name, bytes } = await new ImportPage(s.page).downloadTemplate();
    expect(name).toMatch(/\.xlsx$/);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = await readWorkbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '住户', '居民', '可选值']);
    expect(String(wb.getWorksheet('住户')!.getCell('A2').value)).toMatch(/^示例/);
    expect(wb.getWorksheet('住户')!.getCell('B2').value).toBe(village);
  });

  test('a file that is not .xlsx is refused on the page, before anything is sent', async () => {
    const imp = new ImportPage(s.page);
    let sent = false;
    const onRequest = (r: { url(): string; method(): string }) => { if (r.method() === 'POST' && r.url().includes('/api/v1/imports/')) sent = true; };
    s.page.on('request', onRequest);
    await imp.fileInput().setInputFiles({ name: '住户.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('not a workbook') });
    await imp.uploadError().waitFor();
    expect(await imp.uploadError().textContent()).toContain('.xlsx');
    s.page.off('request', onRequest);
    expect(sent).toBe(false);
    expect(imp.jobId()).toBe('');
  });

  test('uploads a workbook with 2 bad rows: 导入失败, 共 2 处错误, nothing written', async () => {
    const { households, residents } = data(village);
    households[1]![1] = UNKNOWN_VILLAGE;
    residents[1]![4] = wrongCheckDigit(residents[1]![4]);
    const imp = new ImportPage(s.page);
    expect(await imp.upload({ name: `导入测试${run}.xlsx`, buffer: await workbook(households, residents) })).toBe(202);
    failedJob = imp.jobId();
    expect(failedJob).toMatch(/^[0-9a-f-]{36}$/);
    expect(await imp.waitForFinished()).toBe('导入失败');
    expect(await imp.result().textContent()).toContain('共 2 处错误，未写入任何数据');
    expect(await imp.counts().textContent()).toContain('8 行');
    expect(await imp.progress().count()).toBe(0); // no half-filled red bar for a job that ended
    expect(await imp.againButton().isVisible()).toBe(true);
  });

  test('the page lists each error: where (sheet and Excel row), column, what was typed, why', async () => {
    const rows = await new ImportPage(s.page).errorRows();
    expect(rows).toHaveLength(2);
    expect(rows).toContainEqual(['住户 第 3 行', '村（社区）代码', UNKNOWN_VILLAGE, `村（社区）代码不存在：${UNKNOWN_VILLAGE}`]);
    const id = rows.find((r) => r[1] === '身份证号')!;
    expect(id[0]).toBe('居民 第 3 行');
    expect(id[2]).toMatch(/^419004\d{11}[\dX]$/); // the uploader sees what they typed
    expect(id[3]).toContain('校验位');
  });

  test('downloads the error list: it names both rows with their reasons', async () => {
    const { bytes } = await new ImportPage(s.page).downloadErrors();
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const ws = (await readWorkbook(bytes)).getWorksheet('错误')!;
    const rows: string[][] = [];
    ws.eachRow((row, n) => { if (n > 1) rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))); });
    expect(rows).toHaveLength(2);
    const reasons = rows.map((r) => `${r[1]}|${r[0]}|${r[2]}|${r[3]}`).join('\n');
    expect(reasons).toContain(`住户|3|村（社区）代码|村（社区）代码不存在：${UNKNOWN_VILLAGE}`);
    expect(reasons).toMatch(/居民\|3\|身份证号\|.*校验位/);
  });

  test('after a reload the page still shows the failed job', async () => {
    await s.page.reload();
    const imp = new ImportPage(s.page);
    expect(await imp.waitForFinished()).toBe('导入失败');
    expect(imp.jobId()).toBe(failedJob);
    expect(await imp.result().textContent()).toContain('共 2 处错误');
  });

  test('a file that is no workbook fails as a whole: 导入失败 with the reason and what to do, no progress bar', async () => {
    const imp = new ImportPage(s.page);
    await imp.againButton().click();
    await imp.uploadButton().waitFor();
    const junk = Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(2048, 0x41)]);
    expect(await imp.upload({ name: `损坏${run}.xlsx`, buffer: junk })).toBe(202);
    brokenJob = imp.jobId();
    expect(await imp.waitForFinished()).toBe('导入失败');
    expect(await imp.failure().textContent()).toContain('无法读取工作簿');
    expect(await imp.result().textContent()).toContain('怎么办');
    expect(await imp.resultTemplateButton().getAttribute('href')).toContain(`org=${village}`);
    expect(await imp.progress().count()).toBe(0);
    expect(await imp.counts().count()).toBe(0); // no "已校验 0 / 0 行" for a file that was never read
    expect(await imp.againButton().isVisible()).toBe(true);
  });

  test('fixes the rows, uploads again and sees 导入成功', async () => {
    const imp = new ImportPage(s.page);
    await imp.againButton().click();
    await imp.uploadButton().waitFor();
    expect(imp.jobId()).toBe('');
    const { households, residents } = data(village);
    expect(await imp.upload({ name: `导入测试${run}-改.xlsx`, buffer: await workbook(households, residents) })).toBe(202);
    expect(imp.jobId()).not.toBe(failedJob);
    expect(await imp.waitForFinished()).toBe('导入成功');
    expect(await imp.result().textContent()).toContain('已导入 3 户 5 人');
  });

  test('finds an imported household in the list by name', async () => {
    await new ImportPage(s.page).backToList().click();
    const list = new HouseholdsPage(s.page);
    await list.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/households`);
    await list.searchFor(headName);
    await list.row(address(1)).first().waitFor();
    expect(await list.row(address(1)).count()).toBe(1);
    expect(await list.row(address(1)).first().textContent()).toContain('2 人');
  });

  test('assigns the three imported households to a member from the coverage page', async () => {
    const org = new OrgPage(s.page);
    await org.open(village);
    await org.coverageLink().click();
    const cov = new CoveragePage(s.page);
    await cov.waitForLoaded();
    for (const head of importedHeads()) expect(await cov.assign(`${head}户`, MEMBER)).toBe(201);
  });

  test('downloads the link map PDF: its text has the village, the member and the imported households', async () => {
    const org = new OrgPage(s.page);
    await org.open(village);
    await org.linkMapLink().click();
    const map = new LinkMapPage(s.page);
    await map.heading().waitFor();
    const villageName = (await map.heading().textContent())!.split(' · ')[0]!;
    expect((await map.mapSize()).width).toBeGreaterThanOrEqual(595); // the SVG sheet (A4 or A3) rendered in the page
    const { name, bytes } = await map.downloadPdf();
    expect(name).toBe(`${villageName}联户示意图.pdf`);
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain(`${villageName}党群连心工程联户示意图`);
    expect(pdf.text).toContain(MEMBER);
    for (const head of importedHeads()) expect(pdf.text).toContain(`${head}户`);
    expect(pdf.text).not.toMatch(/\d{17}[\dX]/); // no ID numbers on a map that is posted publicly
  });

  test('prints the village contact cards: every card has its QR link in the PDF', async () => {
    const map = new LinkMapPage(s.page);
    const { name, bytes } = await map.printCards();
    expect(name).toMatch(/联系卡\.pdf$/);
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('党群连心卡');
    expect(pdf.text).toContain(`${headName}户`);
    const links = pdf.pages.flatMap((p) => p.links);
    expect(links.length).toBeGreaterThanOrEqual(3);
    cardUrl = links[0]!;
    expect(new URL(cardUrl).pathname).toMatch(/^\/c\/[A-Za-z0-9_-]{38}$/);
  });
});

describe('a resident scans a contact card on a phone, without an account', () => {
  test('the QR page shows the member to call, and fits the phone', async () => {
    if (!cardUrl) return; // the secretary's describe above did not get that far; its own failure says why
    const b = await openBrowser({ baseURL: inject('baseURL'), ...PHONE });
    try {
      const card = new PublicCardPage(b.page);
      await card.open(new URL(cardUrl).pathname);
      expect(await card.memberName().textContent()).toBeTruthy();
      expect(await card.callButton().getAttribute('href')).toMatch(/^tel:\d+$/);
      await expectPhoneFriendly(b.page, 'contact-card');
    } finally {
      await b.close();
    }
  });
});

describe('the import page on a phone (390×844)', () => {
  let s: BrowserSession;
  let village = '';
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
  });
  afterAll(async () => {
    await s?.close();
  });


  test('the import page fits, with 44 px targets and 14 px text', async () => {
    const imp = new ImportPage(s.page);
    await imp.open(village);
    await imp.uploadButton().waitFor();
    await expectPhoneFriendly(s.page, 'import');
  });

  test('the link map page fits: a list per member instead of the sheet, the PDF still offered, the buttons are 44 px', async () => {
    const map = new LinkMapPage(s.page);
    await map.open(village);
    await map.memberList().waitFor();
    expect(await map.map().count()).toBe(0);
    await map.pdfButton().waitFor();
    await expectPhoneFriendly(s.page, 'link-map');
  });

  test('a failed import (errors and 重新上传) fits too', async () => {
    if (!failedJob) return; // the desktop describe above did not get that far; its own failure says why
    await s.page.goto(`/orgs/${village}/households/import?job=${failedJob}`);
    const imp = new ImportPage(s.page);
    expect(await imp.waitForFinished()).toBe('导入失败');
    await expectPhoneFriendly(s.page, 'import-failed');
  });

  test('a file that could not be read (导入失败 and what to do) fits too', async () => {
    if (!brokenJob) return; // the desktop describe above did not get that far; its own failure says why
    await s.page.goto(`/orgs/${village}/households/import?job=${brokenJob}`);
    const imp = new ImportPage(s.page);
    expect(await imp.waitForFinished()).toBe('导入失败');
    await expectPhoneFriendly(s.page, 'import-broken');
  });
});
