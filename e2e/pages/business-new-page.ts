import type { Page } from 'playwright-core';

export interface BusinessEntry {
  kind: '企业' | '商户' | '班组';
  name: string;
  address: string;
  creditCode?: string;
  contactName?: string;
  contactPhone?: string;
  employees?: number;
}

/** /businesses/new?org=… — 新增企业商户. */
export class BusinessNewPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '新增企业商户' });
  readonly kind = (label: string) => this.page.getByRole('radio', { name: label });
  readonly name = () => this.page.getByLabel(/名称/);
  readonly address = () => this.page.getByLabel('地址', { exact: true });
  readonly creditCode = () => this.page.getByLabel(/统一社会信用代码/);
  readonly contactName = () => this.page.getByLabel(/联系人/);
  readonly contactPhone = () => this.page.getByLabel(/联系电话/);
  readonly employees = () => this.page.getByLabel(/从业人数/);
  readonly submit = () => this.page.getByRole('button', { name: '保存登记' });
  /** Why saving failed (the server's answer, in Chinese). */
  readonly error = () => this.page.getByRole('region', { name: '保存失败原因' });

  async open(orgCode: string) {
    await this.page.goto(`/businesses/new?org=${encodeURIComponent(orgCode)}`);
    await this.heading().waitFor();
  }

  async fill(b: BusinessEntry) {
    await this.kind(b.kind).check();
    await this.name().fill(b.name);
    await this.address().fill(b.address);
    if (b.creditCode !== undefined) await this.creditCode().fill(b.creditCode);
    if (b.contactName !== undefined) await this.contactName().fill(b.contactName);
    if (b.contactPhone !== undefined) await this.contactPhone().fill(b.contactPhone);
    if (b.employees !== undefined) await this.employees().fill(String(b.employees));
  }

  /** Field messages currently shown in the form (client-side or mapped from the server). */
  async fieldErrors(): Promise<string[]> {
    return this.page.locator('.ant-form-item-explain-error').allTextContents();
  }

  /** Submits and waits for the server's answer; returns its HTTP status, or 0 when the form itself refused to submit. */
  async save(): Promise<number> {
    const answer = this.page
      .waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/businesses' && r.request().method() === 'POST', { timeout: 5_000 })
      .catch(() => null);
    await this.submit().click();
    const res = await answer;
    if (!res) return 0;
    const status = res.status();
    if (status === 201) await this.page.waitForURL(/\/businesses\/(?!new)/);
    else await this.error().waitFor();
    return status;
  }
}
