import type { Page } from 'playwright-core';

export class AppHeader {
  constructor(readonly page: Page) {}

  readonly banner = () => this.page.getByRole('banner');
  readonly demoNotice = () => this.page.getByText('演示数据', { exact: true });
  /** On a phone the navigation and the account's actions sit in a drawer behind this button. */
  readonly menuButton = () => this.page.getByRole('button', { name: '菜单' });
  readonly logoutButton = () => this.page.getByRole('button', { name: '退出登录' });
  readonly logoutEverywhereButton = () => this.page.getByRole('button', { name: '退出所有设备' });
  readonly treeLink = () => this.page.getByRole('link', { name: '组织架构' });
  readonly searchLink = () => this.page.getByRole('link', { name: '搜索', exact: true });

  async logout(everywhere = false) {
    // On a phone the buttons sit in the menu drawer.
    await this.banner().waitFor();
    if (await this.menuButton().isVisible()) await this.menuButton().click();
    await (everywhere ? this.logoutEverywhereButton() : this.logoutButton()).click();
    await this.page.waitForURL((u) => u.pathname.startsWith('/login'));
  }
}
