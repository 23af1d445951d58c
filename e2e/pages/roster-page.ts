import type { Page } from 'playwright-core';

/** /roster?org=<code> — 党员名册: members (tab 党员) and helpers (tab 志愿者等) of the caller's scope. */
export class RosterPage {
  constructor(readonly page: Page) {}

  /** The 党员名册 entry of the main navigation. */
  readonly navLink = () => this.page.getByRole('link', { name: '党员名册', exact: true });
  readonly heading = () => this.page.locator('#roster-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly search = () => this.page.getByRole('searchbox', { name: '搜索党员' });
  readonly count = () => this.page.getByTestId('roster-count');
  readonly list = () => this.page.getByRole('region', { name: '党员名单' });
  /** A person's row (table on desktop, card on a phone). */
  readonly row = (name: string) => this.list().locator('tr, li').filter({ hasText: name });
  readonly newButton = () => this.page.getByRole('button', { name: '新增党员' });
  readonly exportLink = () => this.page.getByRole('link', { name: '导出 Excel' });
  readonly drawer = (title: string) => this.page.getByRole('dialog', { name: title });
  readonly leaveDialog = (name: string, reason: string) => this.page.getByRole('dialog', { name: `登记 ${name} ${reason}` });

  async open(query = '') {
    await this.page.goto(`/roster${query}`);
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

  /** 新增党员 through the drawer. */
  async addMember(m: { name: string; memberSince: string; phone: string; birthYear: string }) {
    await this.newButton().click();
    const d = this.drawer('新增党员');
    await d.getByLabel('姓名').fill(m.name);
    await d.getByLabel('出生年份（选填）').fill(m.birthYear);
    await d.getByLabel('入党日期').fill(m.memberSince);
    await d.getByLabel('手机号码（选填）').fill(m.phone);
    await d.getByRole('button', { name: '保存' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  /** 编辑 → tick or untick a flag (流动党员 / 双报到) → 保存. */
  async toggleFlag(name: string, flag: '流动党员' | '双报到') {
    await this.page.getByRole('button', { name: `编辑 ${name}` }).click();
    const d = this.drawer('编辑党员');
    await d.getByRole('checkbox', { name: flag }).click();
    await d.getByRole('button', { name: '保存' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  /** 更多 → 迁出 / 去世 / 除名 → date → 确认. */
  async recordLeave(name: string, reason: '迁出' | '去世' | '除名', on: string) {
    await this.page.getByRole('button', { name: `${name} 的更多操作` }).click();
    await this.page.getByRole('menuitem', { name: reason, exact: true }).click();
    const d = this.leaveDialog(name, reason);
    await d.getByLabel(`${reason}日期`).fill(on);
    await d.getByRole('button', { name: `确认${reason}` }).click();
    // Closes on success; an error stays in the dialog — fail with its words rather than a bare timeout. The write
    // recomputes the village's coverage, so it may wait for another spec's import into the same village to commit.
    const refused = d.locator('.ant-alert-error');
    await d.waitFor({ state: 'hidden', timeout: 100_000 }).catch(async (e: unknown) => {
      throw (await refused.count()) ? new Error(`${reason} refused: ${await refused.textContent()}`) : e;
    });
  }
}
