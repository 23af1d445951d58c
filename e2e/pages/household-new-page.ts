import type { Locator, Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';

export interface ResidentEntry {
  name: string;
  idNumber: string;
  /** Leave out for the first row (defaults to 户主). */
  relation?: string;
  phone?: string;
}

/** /households/new?org=… — the registration form. */
export class HouseholdNewPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '新增住户' });
  readonly village = () => this.page.getByLabel('所属村（社区）');
  readonly address = () => this.page.getByLabel('住址');
  readonly tag = (name: string) => this.page.getByRole('checkbox', { name });
  readonly resident = (index: number) => this.page.getByRole('group', { name: `第${index + 1}位成员` });
  readonly addResidentButton = () => this.page.getByRole('button', { name: /添加一位家庭成员/ });
  readonly submit = () => this.page.getByRole('button', { name: '保存登记' });
  /** Why saving failed (the server's answer, in Chinese). */
  readonly error = () => this.page.getByRole('region', { name: '保存失败原因' });
  readonly fieldError = (row: Locator) => row.locator('.ant-form-item-explain-error');

  async open(orgCode: string) {
    await this.page.goto(`/households/new?org=${encodeURIComponent(orgCode)}`);
    await this.heading().waitFor();
  }

  async choose(scope: Locator, label: string, option: string) {
    await chooseOption(this.page, scope, label, option);
  }

  async fillResident(index: number, r: ResidentEntry) {
    if (index > 0 && (await this.resident(index).count()) === 0) await this.addResidentButton().click();
    const row = this.resident(index);
    await row.getByLabel('姓名').fill(r.name);
    if (r.relation) await this.choose(row, '与户主关系', r.relation);
    // Sex and birth date are filled in from the ID number.
    await row.getByLabel('身份证号').fill(r.idNumber);
    if (r.phone) await row.getByLabel(/联系电话/).fill(r.phone);
  }

  async fill(h: { address: string; tags?: string[]; residents: ResidentEntry[] }) {
    await this.address().fill(h.address);
    for (const t of h.tags ?? []) await this.tag(t).check();
    for (const [i, r] of h.residents.entries()) await this.fillResident(i, r);
  }

  /** Field messages currently shown in the form (client-side or mapped from the server). */
  async fieldErrors(): Promise<string[]> {
    return this.page.locator('.ant-form-item-explain-error').allTextContents();
  }

  /**
   * Submits and waits for the server's answer; returns its HTTP status, or 0 when the form itself refused to submit
   * (see fieldErrors()).
   */
  async save(): Promise<number> {
    const answer = this.page
      .waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/households' && r.request().method() === 'POST', { timeout: 5_000 })
      .catch(() => null);
    await this.submit().click();
    const res = await answer;
    if (!res) return 0;
    const status = res.status();
    if (status === 201) await this.page.waitForURL(/\/households\/(?!new)/);
    else await this.error().waitFor();
    return status;
  }
}
