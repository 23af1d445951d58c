import type { Download, Page } from 'playwright-core';

/** /accounts — 账号管理: the accounts the caller manages, the bulk 开通 button and the row actions. */
export class AccountsPage {
  constructor(readonly page: Page) {}

  readonly navLink = () => this.page.getByRole('link', { name: '账号管理' }).first();
  readonly heading = () => this.page.locator('#accounts-title');
  readonly count = () => this.page.getByTestId('account-count');
  readonly search = () => this.page.getByRole('searchbox', { name: '搜索账号' });
  readonly list = () => this.page.getByRole('region', { name: '账号列表' });
  readonly rows = () => this.list().getByTestId('account-row');
  readonly row = (text: string | RegExp) => this.rows().filter({ hasText: text });
  readonly openBranchButton = () => this.page.getByRole('button', { name: /^为本支部党员开通账号/ });
  readonly openDialog = () => this.page.getByRole('dialog', { name: /开通账号/ });
  readonly createButton = () => this.page.getByRole('button', { name: '开通账号', exact: true });

  readonly createDialog = () => this.page.getByRole('dialog', { name: '开通账号' });
  readonly passwordDialog = () => this.page.getByRole('dialog', { name: '一次性密码' });
  /** The person picker (a combobox: the 工作人员 radio's label also contains 人员). */
  readonly personField = () => this.createDialog().getByRole('combobox', { name: /人员/ });
  readonly oneTimePassword = () => this.passwordDialog().getByTestId('one-time-password');

  /**
   * 开通账号 for staff (no person): 工作人员, display name, username, one role bound to an org found by typing part of
   * its name (the org list can hold every village of the zone). Resolves with the one-time password shown.
   */
  async createStaff(a: { displayName: string; username: string; role: string; org?: string }): Promise<string> {
    await this.createButton().click();
    const d = this.createDialog();
    await d.getByRole('radio', { name: '工作人员' }).check();
    await d.getByLabel('显示名称').fill(a.displayName);
    await d.getByLabel('用户名').fill(a.username);
    await this.chooseRole(a.role, a.org);
    await d.getByRole('button', { name: /^开\s*通$/ }).click();
    await this.oneTimePassword().waitFor();
    return (await this.oneTimePassword().textContent())!.trim();
  }

  /** In the create/edit dialog: the first role becomes `role`, bound to the org whose name contains `org`. */
  async chooseRole(role: string, org?: string) {
    const d = this.page.getByRole('dialog').filter({ has: this.page.getByLabel('第 1 个角色') });
    await d.getByLabel('第 1 个角色', { exact: true }).click();
    await this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(role, { exact: true }).click();
    if (org) {
      const orgSelect = d.getByLabel('第 1 个角色所在组织');
      await orgSelect.click();
      await orgSelect.fill(org);
      await this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: org }).first().click();
    }
  }

  /**
   * 开通账号 for a person of the roster, found by name in the picker; as 党员 of their branch unless `as` names another
   * role and its org (e.g. 支部书记 of their village). Resolves with the one-time password shown.
   */
  async createForPerson(name: string, username: string, as?: { role: string; org: string }): Promise<string> {
    await this.createButton().click();
    const d = this.createDialog();
    await this.personField().waitFor();
    await this.page.waitForFunction(() => !document.querySelector('.ant-modal.ant-zoom'));
    await this.personField().fill(name);
    await this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: name }).click();
    await d.getByLabel('用户名').fill(username);
    if (as) await this.chooseRole(as.role, as.org);
    await d.getByRole('button', { name: /^开\s*通$/ }).click();
    await this.oneTimePassword().waitFor();
    return (await this.oneTimePassword().textContent())!.trim();
  }

  /** A row's 更多 → action → 确定 in the confirmation. */
  async rowAction(username: string, action: '停用' | '启用' | '解锁' | '重置密码' | '结束全部会话') {
    await this.page.getByRole('button', { name: `${username} 的更多操作` }).click();
    await this.page.getByRole('menuitem', { name: action }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: `确定${action}` }).click();
  }

  async open() {
    await this.page.goto('/accounts');
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.heading().waitFor();
    await this.count().and(this.page.locator(':not(:text("正在加载"))')).waitFor();
  }

  async searchFor(text: string) {
    // On a loaded machine the list may re-render the box between the typing and the Enter (a CI run once waited 15 s
    // for a search that was never sent): type and press again, up to three times, until the address has the query.
    for (let attempt = 1; ; attempt++) {
      await this.search().fill(text);
      await this.search().press('Enter');
      try {
        await this.page.waitForURL((u) => u.searchParams.get('q') === text, { timeout: 8_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await this.waitForLoaded();
  }

  /** 为本支部党员开通账号 → 开通并下载通知单: resolves with the slips the browser saved, and the dialog's summary. */
  async openAccountsForBranch(): Promise<{ download: Download; summary: string }> {
    await this.openBranchButton().click();
    const d = this.openDialog();
    await d.getByText('通知单只能下载一次，请立即打印').waitFor();
    await this.page.waitForFunction(() => !document.querySelector('.ant-modal.ant-zoom'));
    const download = this.page.waitForEvent('download');
    await d.getByRole('button', { name: '开通并下载通知单' }).click();
    const summary = d.getByRole('status').filter({ hasText: /已开通|无需开通/ });
    await summary.waitFor({ timeout: 60_000 });
    return { download: await download, summary: (await summary.textContent()) ?? '' };
  }

  async closeDialog() {
    await this.openDialog().getByRole('button', { name: '完成' }).click();
  }
}
