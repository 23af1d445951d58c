import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import type { BrowserSession } from '../../src/browser.ts';
import { expectPhoneFriendly } from '../../src/phone.ts';
import { PHONE, openLoggedIn } from '../../src/session.ts';
import { BusinessListPage } from '../../pages/business-list-page.ts';
import { BusinessNewPage } from '../../pages/business-new-page.ts';
import { BusinessPage } from '../../pages/business-page.ts';
import { OrgPage } from '../../pages/org-page.ts';

/** GB 32100-2015 check character (weights 3^i mod 31, modulus 31) over the 31-symbol alphabet without I O Z S V. */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function creditCode(first17: string): string {
  const sum = [...first17].reduce((s, c, i) => s + ALPHABET.indexOf(c) * WEIGHTS[i]!, 0);
  return first17 + ALPHABET[(31 - (sum % 31)) % 31]!;
}

// Random per run, so the spec also passes against a long-running server (E2E_BASE_URL).
const run = String(Math.floor(Math.random() * 1_000_000)).padStart(7, '0');
const code = creditCode(`92419001MA${run}`);
const wrongCode = code.slice(0, 17) + (code[17] === '1' ? '2' : '1');
const shop = { kind: '商户' as const, name: `连心测试便利店${run}`, address: `连心测试路${run}号`, contactName: '李店主', contactPhone: '13912345678', employees: 3 };

describe('a village secretary registers a shop', () => {
  let s: BrowserSession;
  let village = '';
  beforeAll(async () => {
    s = await openLoggedIn('secretary');
  });
  afterAll(async () => {
    await s?.close();
  });

  test('opens 企业商户 of their village from the village page', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    village = org.code();
    expect(KEJING_VILLAGES).toContain(village);
    const list = new BusinessListPage(s.page);
    await list.orgLink().click();
    await list.waitForLoaded();
    expect(new URL(s.page.url()).pathname).toBe(`/orgs/${village}/businesses`);
    expect(await list.heading().textContent()).toMatch(/企业商户/);
    expect(await list.newButton().isVisible()).toBe(true);
    const href = await list.exportLink().getAttribute('href');
    expect(href).toBe(`/api/v1/businesses/export?org=${village}`);
    // The link downloads with the session cookie: an xlsx attachment, not an error page.
    const res = await s.page.request.get(href!);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    expect(res.headers()['content-disposition']).toContain('attachment');
  });

  test('a credit code with a wrong check character is refused by the server, and the form says so on the field', async () => {
    await new BusinessListPage(s.page).newButton().click();
    const form = new BusinessNewPage(s.page);
    await form.heading().waitFor();
    await form.fill({ ...shop, creditCode: wrongCode });
    expect(await form.save()).toBe(400);
    expect(await form.error().textContent()).toContain('校验位');
    expect((await form.fieldErrors()).join(' ')).toContain('校验位');
    expect(new URL(s.page.url()).pathname).toBe('/businesses/new');
  });

  test('registers the shop with a valid credit code and sees it with the phone masked', async () => {
    const form = new BusinessNewPage(s.page);
    await form.creditCode().fill(code);
    const status = await form.save();
    expect(status, `form messages: ${(await form.fieldErrors()).join('; ')}`).toBe(201);
    const b = new BusinessPage(s.page);
    await b.waitForLoaded();
    expect(await b.heading().textContent()).toContain(shop.name);
    const details = await b.details().textContent();
    expect(details).toContain(code);
    expect(details).toContain(shop.address);
    expect(details).not.toContain(shop.contactPhone);
    expect(await b.maskedPhone().textContent()).toBe('139****5678');
    expect(await b.currentLink().textContent()).toContain('尚未联系');
  });

  test('reveals the contact phone with a reason; the full value shows in the dialog only', async () => {
    const b = new BusinessPage(s.page);
    await b.reveal(shop.name, '核对商户联系方式');
    expect(await b.revealedValue().textContent()).toContain(shop.contactPhone);
    await b.closeReveal();
    expect(await b.details().textContent()).not.toContain(shop.contactPhone);
  });

  test('finds the shop in the list by name, and under 商户 but not under 企业', async () => {
    const list = new BusinessListPage(s.page);
    await list.open(village);
    await list.searchFor(shop.name);
    await list.row(shop.name).first().waitFor();
    expect(await list.row(shop.name).count()).toBe(1);
    expect(await list.row(shop.name).textContent()).toContain('未联户');
    await list.filterKind('商户');
    await list.row(shop.name).first().waitFor();
    await list.filterKind('企业');
    expect(await list.row(shop.name).count()).toBe(0);
    await list.filterKind('全部类型');
    await list.row(shop.name).first().waitFor();
  });

  test('exports the list with full phones after giving a reason (audited on the server)', async () => {
    const list = new BusinessListPage(s.page);
    const file = await list.exportFull('安全生产检查联络');
    expect(file.suggestedFilename()).toMatch(/^企业商户名单-.+\.xlsx$/);
    // Downloaded with the single-use token the dialog's POST obtained, never by full=true on a plain GET.
    expect(file.url()).toMatch(/\/api\/v1\/businesses\/export\?token=[A-Za-z0-9_-]{43}$/);
    expect(await file.failure()).toBeNull();
    await list.fullExportDialog().waitFor({ state: 'hidden' });
  });

  test('opens it from the list and edits it: the page shows the new values', async () => {
    const list = new BusinessListPage(s.page);
    await list.openRow(shop.name);
    const b = new BusinessPage(s.page);
    await b.waitForLoaded();
    expect(await b.edit({ address: `${shop.address}（新址）`, contactName: '李新店主', employees: 5 })).toBe(200);
    await b.details().getByText(`${shop.address}（新址）`).waitFor();
    const details = await b.details().textContent();
    expect(details).toContain('李新店主');
    expect(details).toContain('5 人');
    // The phone was left empty in the drawer: it is kept, not cleared.
    expect(await b.maskedPhone().textContent()).toBe('139****5678');
  });
});

describe('the business pages on a phone (390×844)', () => {
  let s: BrowserSession;
  beforeAll(async () => {
    s = await openLoggedIn('secretary', PHONE);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('the list fits, with 44 px targets and 14 px text', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    const list = new BusinessListPage(s.page);
    await list.open(org.code());
    await list.rows().first().waitFor();
    await expectPhoneFriendly(s.page, 'businesses');
  });

  test('a business page fits', async () => {
    const list = new BusinessListPage(s.page);
    await list.rows().first().click();
    const b = new BusinessPage(s.page);
    await b.waitForLoaded();
    await b.links().waitFor();
    await expectPhoneFriendly(s.page, 'business');
  });

  test('the registration form fits', async () => {
    const org = new OrgPage(s.page);
    // Their own village (home is the 工作台 now).
    await org.open(KEJING_VILLAGES[0]!);
    await new BusinessNewPage(s.page).open(org.code());
    await expectPhoneFriendly(s.page, 'business-new');
  });
});
