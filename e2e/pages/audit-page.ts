import type { Page } from 'playwright-core';

/** /audit — 审计查询 (office and admin). */
export class AuditPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#audit-title');
  readonly results = () => this.page.getByRole('region', { name: '审计记录' });
  readonly events = () => this.results().getByTestId('audit-event');
  readonly count = () => this.page.getByTestId('audit-count');
  readonly actor = () => this.page.getByLabel('人员（用户名）');
  readonly searchButton = () => this.page.getByRole('button', { name: /^查\s*询$/ });
  readonly revealsLink = () => this.page.getByRole('button', { name: '敏感信息查看记录' });
  readonly fullExportsLink = () => this.page.getByRole('button', { name: '本月的全量导出记录' });
  readonly exportButton = () => this.page.getByRole('button', { name: /导出 Excel/ });
  readonly adminNotice = () => this.page.getByText('系统管理员不查看个人信息');

  async open(query = '') {
    await this.page.goto(`/audit${query}`);
    await this.heading().waitFor();
  }

  /** The event that mentions `text` (a reason, an address), once it has loaded. */
  event(text: string) {
    return this.events().filter({ hasText: text });
  }

  /** Opens an event's before → after. */
  async expand(text: string) {
    await this.event(text).getByRole('button', { name: '查看详情' }).click();
  }
}
