import type { Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';

/** /orgs/:code/businesses — a village's (or town's) enterprises, shops and teams. */
export class BusinessListPage {
  constructor(readonly page: Page) {}

  /** The 企业商户 link on the org page that leads here. */
  readonly orgLink = () => this.page.getByRole('link', { name: /^企业商户/ });
  readonly heading = () => this.page.locator('#businesses-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly search = () => this.page.getByRole('searchbox', { name: '搜索企业商户' });
  readonly filters = () => this.page.getByRole('search', { name: '筛选企业商户' });
  readonly count = () => this.page.getByTestId('business-count');
  readonly list = () => this.page.getByRole('region', { name: '企业商户列表' });
  readonly rows = () => this.list().getByRole('link');
  readonly row = (text: string | RegExp) => this.rows().filter({ hasText: text });
  readonly newButton = () => this.page.getByRole('button', { name: '新增企业商户' });
  readonly exportLink = () => this.page.getByRole('link', { name: '导出 Excel' });
  readonly fullExportButton = () => this.page.getByRole('button', { name: '导出完整号码' });
  readonly fullExportDialog = () => this.page.getByRole('dialog', { name: '导出完整联系电话' });
  readonly loadMore = () => this.page.getByRole('button', { name: '加载更多' });

  async open(orgCode: string, query = '') {
    await this.page.goto(`/orgs/${encodeURIComponent(orgCode)}/businesses${query}`);
    await this.waitForLoaded();
  }

  /** Waits for the heading (or not-found) and for the first page of rows (or the empty state). */
  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
    if (await this.heading().isVisible()) await this.count().and(this.page.locator(':not(:text("正在加载"))')).waitFor();
  }

  async searchFor(text: string) {
    await this.search().fill(text);
    await this.search().press('Enter');
    await this.page.waitForURL((u) => u.searchParams.get('q') === text);
    await this.waitForLoaded();
  }

  /** 按类型筛选: 全部类型 / 企业 / 商户 / 班组. */
  async filterKind(label: '全部类型' | '企业' | '商户' | '班组') {
    await chooseOption(this.page, this.filters(), '按类型筛选', label);
    await this.waitForLoaded();
  }

  /** 导出完整号码 → 原因 → 导出; resolves with the file the browser saved. */
  async exportFull(reason: string) {
    await this.fullExportButton().click();
    const d = this.fullExportDialog();
    await d.getByLabel('导出原因').waitFor();
    await this.page.waitForFunction(() => !document.querySelector('.ant-modal.ant-zoom'));
    await d.getByLabel('导出原因').fill(reason);
    const download = this.page.waitForEvent('download');
    await d.getByRole('button', { name: /^导\s*出$/ }).click();
    return download;
  }

  async openRow(text: string | RegExp) {
    await this.row(text).first().click();
    await this.page.waitForURL(/\/businesses\/(?!new)/);
  }
}
