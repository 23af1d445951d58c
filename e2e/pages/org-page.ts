import type { Page } from 'playwright-core';

export class OrgPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#org-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly breadcrumb = () => this.page.getByRole('navigation', { name: '位置' });
  readonly childList = () => this.page.getByRole('region', { name: '下级组织' });
  readonly childLink = (name: string) => this.page.getByRole('link', { name });
  readonly coverageLink = () => this.page.getByRole('link', { name: /^联户覆盖/ });
  readonly householdsLink = () => this.page.getByRole('link', { name: /^户籍/ });
  readonly myHouseholdsLink = () => this.page.getByRole('link', { name: /^我联系的住户/ });
  readonly myBusinessesLink = () => this.page.getByRole('link', { name: /^我联系的企业商户/ });
  readonly linkMapLink = () => this.page.getByRole('link', { name: /^联户示意图/ });
  readonly statistic = (title: string) => this.page.locator('.ant-statistic').filter({ hasText: title });
  readonly statistics = () => this.page.locator('.ant-statistic');
  /** The org's details (层级, 党组织, 类别, 统计用区划代码) as their text. */
  readonly details = () => this.page.locator('.ant-descriptions');
  readonly mattersPlaceholder = () => this.page.getByText(/转办事项/);

  async open(code: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(code)}`);
    await this.waitForLoaded();
  }

  /** Waits for either the org's heading or the not-found result. */
  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
  }

  /** The org code from the current URL (/orgs/<code>). */
  code(): string {
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop() ?? '');
  }
}
