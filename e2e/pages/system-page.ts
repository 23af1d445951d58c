import type { Page } from 'playwright-core';

/** /system — 系统维护 (admin): scheduled jobs, backups, 立即备份. */
export class SystemPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '系统维护' });
  readonly jobs = () => this.page.getByRole('region', { name: '定时任务' });
  readonly backups = () => this.page.getByRole('region', { name: '备份' });
  readonly jobRow = (label: RegExp) => this.jobs().getByRole('row', { name: label });
  readonly backupNow = () => this.page.getByRole('button', { name: '立即备份' });
  readonly done = () => this.page.getByTestId('backup-done');
  readonly backupRows = () => this.backups().getByRole('row', { name: /lianxin-\d{8}-\d{6}-\d{3}\.lxbackup\.gz/ });

  async openFromNavigation() {
    await this.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统维护' }).click();
    await this.heading().waitFor();
  }
}
