import type { Page } from 'playwright-core';

/** The 待同步 card on the home page (features/offline): visits on this phone not yet on the server. */
export class OfflineQueueCard {
  constructor(readonly page: Page) {}

  readonly card = () => this.page.getByRole('region', { name: /^待同步 \d+ 条$/ });
  readonly title = () => this.page.getByRole('heading', { level: 2, name: /^待同步 \d+ 条$/ });
  readonly items = () => this.page.getByRole('list', { name: '待同步的走访' }).getByRole('listitem');
  readonly offlineNote = () => this.page.getByText('当前没有网络', { exact: true });

  /** The N of "待同步 N 条", or 0 when the card is not shown (nothing waiting, online). */
  async count(): Promise<number> {
    if ((await this.title().count()) === 0) return 0;
    return Number(/待同步 (\d+) 条/.exec((await this.title().textContent()) ?? '')?.[1] ?? NaN);
  }
}
