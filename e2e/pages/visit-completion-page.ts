import type { Page } from 'playwright-core';

/** 走访完成率 (/visit-completion?org=&month=): this month against last month for an org and each level below. */
export class VisitCompletionPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#completion-title');
  readonly self = () => this.page.getByTestId('completion-self');
  readonly asOf = () => this.page.getByTestId('completion-as-of');
  readonly children = () => this.page.getByRole('region', { name: /^各/ });
  /** A child row by org code or person id. */
  readonly row = (key: string) => this.page.getByTestId(`completion-${key}`);
  readonly month = () => this.page.getByLabel('月份');

  async open(q: { org?: string; month?: string } = {}) {
    const s = new URLSearchParams(q).toString();
    await this.page.goto(`/visit-completion${s ? `?${s}` : ''}`);
    await this.self().waitFor();
  }
}
