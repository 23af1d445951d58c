import type { Page } from 'playwright-core';

/** `/`: the role's home (工作台, or 我的联户 for a member), a column of cards each with an h2 title. */
export class HomePage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#home-title');
  /** A card by its title (each card is a region named by its h2). */
  readonly card = (title: string | RegExp) => this.page.getByRole('region', { name: title });
  /** The rows of the 各镇（街道）/各村（社区）情况 card: one link per org, worst first. */
  readonly breakdownRows = () => this.card(/^各(镇|村)/).getByRole('link');
  /** The menu entry of the current page (highlighted). */
  readonly currentNavEntry = () => this.page.getByRole('navigation', { name: '主导航' }).locator('a[aria-current="page"]');

  async open() {
    await this.page.goto('/');
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.heading().waitFor();
  }
}
