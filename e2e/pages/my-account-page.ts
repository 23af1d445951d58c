import type { Page } from 'playwright-core';

/** 我的账户 (/account): the account, its password, its signed-in devices and the second factor. */
export class MyAccountPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '我的账户', level: 1 });
  readonly sessions = () => this.page.getByRole('region', { name: '登录设备' }).getByRole('listitem');
  readonly currentDevice = () => this.page.getByText('当前设备', { exact: true });
  readonly revokeOthers = () => this.page.getByRole('button', { name: '退出其他设备' });
  readonly setUpTotp = () => this.page.getByRole('button', { name: '设置动态验证码' });
  readonly totpQr = () => this.page.getByRole('img', { name: '动态验证码设置二维码' });
  /** The Base32 secret shown for typing into an app that cannot scan. */
  readonly totpSecret = () => this.page.getByRole('region', { name: '动态验证码' }).locator('code');
  readonly totpCode = () => this.page.getByLabel(/输入应用显示的 6 位动态验证码/);
  readonly enable = () => this.page.getByRole('button', { name: '启用' });
  readonly recoveryCodes = () => this.page.getByRole('list', { name: '恢复码' }).getByRole('listitem');
  readonly savedCodes = () => this.page.getByRole('button', { name: '我已保存恢复码' });

  /** Sets up and enables the second factor with `code(secret)` (the phone's app); returns the secret and the recovery codes. */
  async enableTotp(code: (secret: string) => string): Promise<{ secret: string; recoveryCodes: string[] }> {
    await this.setUpTotp().click();
    await this.totpQr().waitFor();
    const secret = (await this.totpSecret().textContent())!.trim();
    await this.totpCode().fill(code(secret));
    await this.enable().click();
    await this.recoveryCodes().first().waitFor();
    const recoveryCodes = (await this.recoveryCodes().allTextContents()).map((c) => c.trim());
    await this.savedCodes().click();
    return { secret, recoveryCodes };
  }

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
