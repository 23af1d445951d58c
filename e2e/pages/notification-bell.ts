import type { Page } from 'playwright-core';

/** 提醒: the bell in the app header and the drawer it opens. */
export class NotificationBell {
  constructor(readonly page: Page) {}

  readonly bell = () => this.page.getByRole('banner').getByRole('button', { name: /^提醒/ });
  readonly drawer = () => this.page.getByRole('dialog', { name: /^提醒/ });
  readonly list = () => this.drawer().getByRole('list', { name: '提醒列表' }).or(this.drawer().getByText('没有提醒'));
  readonly empty = () => this.drawer().getByText('没有提醒');
  readonly close = () => this.drawer().getByRole('button', { name: 'Close' }).or(this.drawer().getByRole('button', { name: '关闭' })).first();

  async open() {
    await this.bell().click();
    await this.list().first().waitFor();
  }
}
