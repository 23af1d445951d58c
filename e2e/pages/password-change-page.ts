import type { Page } from 'playwright-core';

/** 修改密码: the page a one-time password leads to first (/account/password); the same form sits on 我的账户. */
export class PasswordChangePage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '修改密码', level: 1 });
  readonly current = () => this.page.getByLabel('当前密码');
  readonly next = () => this.page.getByLabel('新密码', { exact: true });
  readonly confirm = () => this.page.getByLabel('确认新密码');
  readonly submit = () => this.page.getByRole('button', { name: '修改密码' });
  readonly error = () => this.page.getByRole('alert');

  async waitForLoaded() {
    await this.page.waitForURL((u) => u.pathname === '/account/password');
    await this.heading().waitFor();
  }

  async fill(current: string, next: string, confirm = next) {
    await this.current().fill(current);
    await this.next().fill(next);
    await this.confirm().fill(confirm);
  }

  /** Changes the password and waits until the app has left this page (for the home). */
  async changeAndWait(current: string, next: string) {
    await this.fill(current, next);
    await this.submit().click();
    await this.page.waitForURL((u) => u.pathname !== '/account/password');
  }
}
