import type { Page } from 'playwright-core';

/** /search — one search over orgs, households, businesses and members, results grouped by kind. */
export class SearchPage {
  constructor(readonly page: Page) {}

  readonly input = () => this.page.getByRole('main').getByRole('searchbox', { name: '搜索住户、企业商户、党员和组织' });
  readonly results = () => this.page.getByRole('region', { name: '搜索结果' });
  /** A group of results: 组织, 住户, 企业商户 or 党员. */
  readonly group = (title: '组织' | '住户' | '企业商户' | '党员') => this.results().getByRole('region', { name: title, exact: true });
  readonly result = (name: string) => this.results().getByRole('link', { name: new RegExp(name) });
  readonly groupResult = (title: '组织' | '住户' | '企业商户' | '党员', name: string) =>
    this.group(title).getByRole('link', { name: new RegExp(name) });
  readonly empty = () => this.page.getByText(/没有找到/);

  async open() {
    await this.page.goto('/search');
    await this.input().waitFor();
  }

  async search(text: string) {
    await this.input().fill(text);
    await this.input().press('Enter');
    // The router keeps the previous results on screen while the new ones load (a transition): callers poll.
    await this.page.waitForURL((u) => u.searchParams.get('q') === text);
    await this.results().or(this.empty()).first().waitFor();
  }

  async openResult(name: string, url: RegExp = /\/orgs\//) {
    await this.result(name).first().click();
    await this.page.waitForURL(url);
  }
}
