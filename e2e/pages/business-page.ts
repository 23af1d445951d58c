import type { Page } from 'playwright-core';

/** /businesses/:id — one enterprise, shop or team. */
export class BusinessPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#business-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly details = () => this.page.getByRole('region', { name: '基本信息' });
  readonly maskedPhone = () => this.details().locator('[data-field="contactPhone"]');
  readonly editButton = () => this.page.getByRole('button', { name: /^编辑.+信息$/ });
  readonly editDrawer = () => this.page.getByRole('dialog', { name: /^编辑.+信息$/ });
  readonly revealButton = (name: string) => this.page.getByRole('button', { name: `查看 ${name}的完整联系电话` });
  readonly revealDialog = () => this.page.getByRole('dialog', { name: /完整联系电话/ });
  readonly revealReason = () => this.revealDialog().getByLabel('查看原因');
  readonly revealConfirm = () => this.revealDialog().getByRole('button', { name: '确认查看' });
  readonly revealedValue = () => this.revealDialog().getByTestId('revealed-value');
  readonly revealPreset = (reason: string) => this.revealDialog().getByRole('group', { name: '常用原因' }).getByRole('button', { name: reason });
  readonly callLink = () => this.revealDialog().getByRole('link', { name: /^拨打/ });
  readonly revealClose = () => this.revealDialog().getByRole('button', { name: '关闭', exact: true }).last();
  readonly links = () => this.page.getByRole('region', { name: '联户党员' });
  readonly currentLink = () => this.page.getByTestId('current-link');

  async open(id: string) {
    await this.page.goto(`/businesses/${encodeURIComponent(id)}`);
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
  }

  /** Waits until antd's dialog/drawer animation has finished: a click during it can be lost under load. */
  async settled() {
    await this.page.waitForFunction(() => !document.querySelector('.ant-modal.ant-zoom, .ant-drawer-content-wrapper[class*="-appear"]'));
  }

  /** 编辑…信息: fills the given fields, saves; returns the PATCH status (the drawer closes on success). */
  async edit(values: { name?: string; address?: string; contactName?: string; employees?: number }): Promise<number> {
    await this.editButton().click();
    const d = this.editDrawer();
    await d.waitFor();
    await this.settled();
    if (values.name !== undefined) await d.getByLabel(/名称/).fill(values.name);
    if (values.address !== undefined) await d.getByLabel('地址', { exact: true }).fill(values.address);
    if (values.contactName !== undefined) await d.getByLabel(/联系人/).fill(values.contactName);
    if (values.employees !== undefined) await d.getByLabel(/从业人数/).fill(String(values.employees));
    const answer = this.page.waitForResponse((r) => /^\/api\/v1\/businesses\/[^/]+$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH');
    await d.getByRole('button', { name: /保\s*存/ }).click();
    const res = await answer;
    if (res.ok()) await d.waitFor({ state: 'hidden' });
    return res.status();
  }

  /** 查看 → 原因 → 确认查看; waits until the full value (or an error) is shown. */
  async reveal(name: string, reason: string) {
    await this.revealButton(name).click();
    await this.revealReason().waitFor();
    await this.settled();
    await this.revealReason().fill(reason);
    await this.revealConfirm().click();
    await this.revealedValue().or(this.revealDialog().getByRole('alert')).first().waitFor();
  }

  /** 查看 → a preset reason (走访联系 …) instead of typing → 确认查看. */
  async revealWithPreset(name: string, preset: '走访联系' | '核实身份' | '办理事项') {
    await this.revealButton(name).click();
    await this.revealReason().waitFor();
    await this.settled();
    await this.revealPreset(preset).click();
    await this.revealConfirm().click();
    await this.revealedValue().or(this.revealDialog().getByRole('alert')).first().waitFor();
  }

  async closeReveal() {
    await this.revealClose().click();
    await this.revealDialog().waitFor({ state: 'hidden' });
  }
}
