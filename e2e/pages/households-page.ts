import type { Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';

/** /orgs/:code/households — a village's (or town's) household list. */
export class HouseholdsPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#households-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly search = () => this.page.getByRole('searchbox', { name: '搜索住户', exact: true });
  readonly count = () => this.page.getByTestId('household-count');
  readonly list = () => this.page.getByRole('region', { name: '住户列表' });
  readonly rows = () => this.list().getByRole('link');
  readonly row = (text: string | RegExp) => this.rows().filter({ hasText: text });
  readonly newButton = () => this.page.getByRole('button', { name: '新增住户' });
  readonly loadMore = () => this.page.getByRole('button', { name: '加载更多' });
  /** Picks an option of a filter select (按联户情况筛选, 按联户党员筛选, 按网格筛选, …) and waits for the list. */
  async filterBy(label: string, option: string) {
    const before = this.page.url();
    await chooseOption(this.page, this.page.getByRole('search', { name: '筛选住户' }), label, option);
    await this.page.waitForURL((u) => u.toString() !== before);
    await this.waitForLoaded();
  }

  readonly removedNotice = () => this.page.getByRole('status').filter({ hasText: '已注销' });

  async open(orgCode: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(orgCode)}/households`);
    await this.waitForLoaded();
  }

  /** Waits for the heading (or not-found) and for the first page of rows (or the empty state). */
  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
    if (await this.heading().isVisible()) await this.count().and(this.page.locator(':not(:text("正在加载"))')).waitFor();
  }

  async searchFor(text: string) {
    await this.search().fill(text);
    await this.search().press('Enter');
    await this.page.waitForURL((u) => u.searchParams.get('q') === text);
    await this.waitForLoaded();
  }

  async openRow(text: string | RegExp) {
    await this.row(text).first().click();
    await this.page.waitForURL(/\/households\/(?!new)/);
  }
}
