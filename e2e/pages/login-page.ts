import type { Page } from 'playwright-core';

export class LoginPage {
  constructor(readonly page: Page) {}

  readonly username = () => this.page.getByLabel('用户名');
  readonly password = () => this.page.getByLabel('密码', { exact: true });
  readonly submit = () => this.page.getByRole('button', { name: /登\s*录/ });
  readonly error = () => this.page.getByRole('alert');
  /** Shown once the server asks for the second factor (401 totp_required). */
  readonly totpCode = () => this.page.getByLabel('动态验证码');

  async open(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    await this.username().waitFor();
  }

  async logIn(username: string, password: string) {
    await this.username().fill(username);
    await this.password().fill(password);
    await this.submit().click();
  }

  /** Submits and waits for the server's answer (and the page's next render of it). Returns the HTTP status. */
  async logInForAnswer(username: string, password: string): Promise<number> {
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/login');
    await this.logIn(username, password);
    const status = (await answer).status();
    await this.submit().and(this.page.locator(':not(.ant-btn-loading)')).waitFor();
    return status;
  }

  /** Logs in and waits until the app has left /login. */
  async logInAndWait(username: string, password: string) {
    await this.logIn(username, password);
    await this.page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
}
