import type { Page } from 'playwright-core';

export class SearchPage {
  constructor(readonly page: Page) {}

  readonly input = () => this.page.getByRole('main').getByRole('searchbox', { name: '搜索组织' });
  readonly results = () => this.page.getByRole('region', { name: '搜索结果' });
  readonly result = (name: string) => this.results().getByRole('link', { name: new RegExp(name) });
  readonly empty = () => this.page.getByText(/没有找到/);

  async open() {
    await this.page.goto('/search');
    await this.input().waitFor();
  }

  async search(text: string) {
    await this.input().fill(text);
    await this.input().press('Enter');
    await this.results().or(this.empty()).first().waitFor();
  }

  async openResult(name: string) {
    await this.result(name).first().click();
    await this.page.waitForURL(/\/orgs\//);
  }
}
