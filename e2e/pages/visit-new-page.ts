import type { Page } from 'playwright-core';

/** /visits/new?household=|business=[&person=] — 记录走访: channel, time, residents, notes, photos, raised items, 保存. */
export class VisitNewPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#visit-new-title');
  readonly channel = (label: '入户' | '夜访' | '电话' | '微信' | '视频') => this.page.getByRole('radiogroup', { name: '走访方式' }).getByText(label, { exact: true });
  readonly time = () => this.page.getByLabel('走访时间');
  readonly resident = (name: string) => this.page.getByRole('checkbox', { name: new RegExp(`^${name}（`) });
  readonly notes = () => this.page.getByLabel('情况记录（可不填）');
  readonly photoInput = () => this.page.getByLabel('添加照片');
  readonly photo = (n: number) => this.page.getByRole('img', { name: `照片 ${n}` });
  readonly addItemButton = () => this.page.getByRole('button', { name: '添加反映事项' });
  readonly proxyNote = () => this.page.getByText(/^代录：为 .+ 记录$/);
  readonly saveButton = () => this.page.getByRole('button', { name: '保存', exact: true });
  readonly error = () => this.page.getByRole('alert').filter({ hasText: /^未能保存/ });

  async waitForLoaded() {
    await this.heading().waitFor();
    await this.saveButton().waitFor();
  }

  /** 添加反映事项, then its category (by name), description and urgency. */
  async addItem(n: number, item: { category: string; description: string; urgent?: boolean }) {
    await this.addItemButton().click();
    const group = this.page.getByRole('group', { name: `事项 ${n}` });
    await group.getByRole('combobox', { name: `事项 ${n} 类别` }).click();
    await this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(item.category, { exact: true }).click();
    await group.getByLabel(`事项 ${n} 内容`).fill(item.description);
    if (item.urgent) await group.getByText('紧急', { exact: true }).click();
  }
}
