import type { Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';
import type { ResidentEntry } from './household-new-page.ts';

/** /households/:id — one household with its residents. */
export class HouseholdPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#household-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly residents = () => this.page.getByRole('region', { name: '家庭成员' });
  readonly maskedIdNumbers = () => this.residents().locator('[data-field="idNumber"]');
  readonly revealButton = (name: string, field: '身份证号' | '电话' = '身份证号') =>
    this.page.getByRole('button', { name: `查看 ${name}的完整${field}` });
  readonly revealDialog = () => this.page.getByRole('dialog');
  readonly revealReason = () => this.revealDialog().getByLabel('查看原因');
  readonly revealConfirm = () => this.revealDialog().getByRole('button', { name: '确认查看' });
  readonly revealedValue = () => this.revealDialog().getByTestId('revealed-value');
  readonly callLink = () => this.revealDialog().getByRole('link', { name: /^拨打/ });
  readonly revealClose = () => this.revealDialog().getByRole('button', { name: '关闭', exact: true }).last();
  readonly editButton = () => this.page.getByRole('button', { name: '编辑住户信息' });
  readonly addResidentButton = () => this.page.getByRole('button', { name: '添加成员' });
  /** 走访记录 and 反映事项 (the visits issue): newest visit first, each a group with its 更正 while allowed. */
  readonly recordVisitButton = () => this.page.getByRole('button', { name: '记录走访', exact: true });
  readonly visitRows = () => this.page.getByRole('list', { name: '走访记录' }).getByTestId('visit-row');
  readonly itemRows = () => this.page.getByRole('list', { name: '反映事项' }).getByTestId('item-row');
  readonly correctButtons = () => this.page.getByRole('button', { name: /^更正 .+ 的走访$/ });
  readonly correctDrawer = () => this.page.getByRole('dialog', { name: '更正走访记录' });

  async open(id: string) {
    await this.page.goto(`/households/${encodeURIComponent(id)}`);
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
  }

  /** The household id from the current URL (/households/<id>). */
  id(): string {
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop() ?? '');
  }

  readonly residentCards = () => this.residents().getByRole('group');
  readonly residentTable = () => this.residents().locator('.ant-table');

  async openReveal(name: string, field: '身份证号' | '电话' = '身份证号') {
    await this.revealButton(name, field).click();
    await this.revealReason().waitFor();
    await this.settled();
  }

  /** Waits until antd's dialog zoom-in has finished: a click during it can be lost under load. */
  async settled() {
    await this.page.waitForFunction(() => !document.querySelector('.ant-modal.ant-zoom, .ant-drawer-content-wrapper[class*="-appear"]'));
  }

  /** 原因 → 确认查看 in the open dialog; waits until the full value (or an error) is shown. */
  async confirmReveal(reason: string) {
    await this.revealReason().fill(reason);
    await this.revealConfirm().click();
    await this.revealedValue().or(this.revealDialog().getByRole('alert')).first().waitFor();
  }

  async closeReveal() {
    await this.revealClose().click();
    await this.revealDialog().waitFor({ state: 'hidden' });
  }

  readonly removeButton = () => this.page.getByRole('button', { name: '注销住户' });
  readonly removeDialog = () => this.page.getByRole('dialog', { name: /^注销 / });

  /** 注销住户: picks the reason, adds the note, confirms, and waits for the server's answer (and the page to leave). */
  async remove(reason: string, note: string): Promise<number> {
    await this.removeButton().click();
    await this.removeDialog().waitFor();
    await this.settled();
    await this.removeDialog().getByRole('radio', { name: reason }).check();
    await this.removeDialog().getByLabel(/说明|具体原因/).fill(note);
    const answer = this.page.waitForResponse((r) => /\/api\/v1\/households\/[^/]+\/remove$/.test(new URL(r.url()).pathname));
    await this.removeDialog().getByRole('button', { name: '确认注销' }).click();
    const res = await answer;
    if (res.ok()) await this.page.waitForURL(/\/orgs\/[^/]+\/households/);
    return res.status();
  }

  readonly editDrawer = () => this.page.getByRole('dialog', { name: '编辑住户信息' });
  readonly residentDrawer = () => this.page.getByRole('dialog', { name: /添加家庭成员|编辑成员/ });
  readonly leaveButton = (name: string) => this.page.getByRole('button', { name: `迁出/死亡 ${name}` });
  readonly leaveDialog = () => this.page.getByRole('dialog', { name: /迁出\/死亡登记/ });
  readonly tags = () => this.page.locator('.ant-descriptions-item').filter({ hasText: '标签' });

  /** 编辑住户信息: ticks the given tags, saves, waits for the drawer to close. */
  async addTags(tags: string[]) {
    await this.editButton().click();
    for (const t of tags) await this.editDrawer().getByRole('checkbox', { name: t }).check();
    await this.editDrawer().getByRole('button', { name: /保\s*存/ }).click();
    await this.editDrawer().waitFor({ state: 'hidden' });
  }

  /** 添加成员 through the drawer (relation picked from the list); waits for the drawer to close. */
  async addResident(r: ResidentEntry & { relation: string }) {
    await this.addResidentButton().click();
    const d = this.residentDrawer();
    await d.getByLabel('姓名').fill(r.name);
    await chooseOption(this.page, d, '与户主关系', r.relation);
    await d.getByLabel('身份证号').fill(r.idNumber);
    await d.getByRole('button', { name: /保\s*存/ }).click();
    await d.waitFor({ state: 'hidden' });
  }

  /**
   * 迁出/死亡 with today's date. Waits for the server's answer and the dialog to close; returns the HTTP status (0 when
   * the form refused to submit).
   */
  async leave(name: string, reason: '迁出' | '死亡' = '迁出'): Promise<number> {
    await this.leaveButton(name).click();
    const d = this.leaveDialog();
    await d.waitFor();
    await this.settled();
    await d.getByRole('radio', { name: reason }).check();
    const answer = this.page
      .waitForResponse((r) => /\/api\/v1\/residents\/[^/]+\/leave$/.test(new URL(r.url()).pathname), { timeout: 5_000 })
      .catch(() => null);
    await d.getByRole('button', { name: '确认登记' }).click();
    const res = await answer;
    if (!res) return 0;
    if (res.ok()) await d.waitFor({ state: 'hidden' });
    return res.status();
  }

  readonly links = () => this.page.getByRole('region', { name: '联户党员' });
  readonly currentLink = () => this.page.getByTestId('current-link');
  readonly linkHistory = () => this.links().getByRole('listitem');
  readonly changeLinkButton = () => this.page.getByRole('button', { name: '更换联户党员' });

  /** 更换联户党员: picks the member and the reason, confirms, waits for the server and for the new member to show. */
  async changeLink(member: string, reason: string): Promise<number> {
    await this.changeLinkButton().click();
    const form = this.links().getByRole('group', { name: '更换联户党员' });
    await chooseOption(this.page, form, '新的联户党员', member);
    await chooseOption(this.page, form, '更换原因', reason);
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/links' && r.request().method() === 'POST');
    await form.getByRole('button', { name: '确认更换' }).click();
    const res = await answer;
    if (res.ok()) await this.currentLink().filter({ hasText: member }).waitFor();
    return res.status();
  }
}
