import type { Page } from 'playwright-core';

export class OrgsTreePage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '组织架构' });
  readonly tree = () => this.page.getByRole('tree');
  readonly treeItems = () => this.tree().getByRole('treeitem');
  readonly item = (name: string) => this.treeItems().filter({ hasText: name }).first();
  readonly link = (name: string) => this.tree().getByRole('link', { name: new RegExp(name) });

  async open() {
    await this.page.goto('/orgs');
    await this.heading().waitFor();
    await this.treeItems().first().waitFor();
  }

  /** Expands the node whose title contains `name` (unless it is open) and waits until its children are shown. */
  async expand(name: string) {
    const item = this.item(name);
    await item.waitFor();
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.locator('.ant-tree-switcher').click();
    await this.page.waitForFunction(
      (el) => el?.getAttribute('aria-expanded') === 'true' && el.nextElementSibling?.getAttribute('role') === 'treeitem' && !el.querySelector('.ant-tree-switcher-loading-icon'),
      await item.elementHandle(),
    );
  }
}
