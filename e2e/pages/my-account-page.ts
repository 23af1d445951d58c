import type { Page } from 'playwright-core';

/** 我的账户 (/account): the account, its password, its signed-in devices and the second factor. */
export class MyAccountPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '我的账户', level: 1 });
  readonly sessions = () => this.page.getByRole('region', { name: '登录设备' }).getByRole('listitem');
  readonly currentDevice = () => this.page.getByText('当前设备', { exact: true });
  readonly revokeOthers = () => this.page.getByRole('button', { name: '退出其他设备' });
  readonly setUpTotp = () => this.page.getByRole('button', { name: '设置动态验证码' });

  /** Through the header: the link on a desktop, the account drawer on a phone. */
  async openFromHeader() {
    const drawerButton = this.page.getByRole('button', { name: '我的账户' });
    if (await drawerButton.isVisible()) {
      await drawerButton.click();
      await this.page.getByRole('button', { name: /账户设置/ }).click();
    } else {
      await this.page.getByRole('banner').getByRole('link', { name: '我的账户' }).click();
    }
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.page.waitForURL((u) => u.pathname === '/account');
    await this.heading().waitFor();
    await this.currentDevice().waitFor();
  }
}
