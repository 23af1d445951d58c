import type { Page } from 'playwright-core';
import { readDownload } from '../src/download.ts';
import { chooseOption } from './antd-select.ts';

/** /orgs/:code/coverage — 联户覆盖: coverage numbers, 未联系对象 with one-click assignment, 智能分配. */
export class CoveragePage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#coverage-title');
  readonly notFound = () => this.page.getByText('未找到或无权查看');
  readonly householdRate = () => this.page.getByTestId('household-rate');
  readonly linked = (kind: 'household' | 'enterprise' | 'shop' | 'team' = 'household') => this.page.getByTestId(`${kind}-linked`);
  readonly unlinked = (kind: 'household' | 'enterprise' | 'shop' | 'team' = 'household') => this.page.getByTestId(`${kind}-unlinked`);
  readonly asOf = () => this.page.getByTestId('coverage-as-of');
  readonly unlinkedList = () => this.page.getByRole('region', { name: '未联系对象' });
  readonly unlinkedRow = (name: string) => this.unlinkedList().getByRole('group', { name, exact: true });
  readonly childList = () => this.page.getByRole('region', { name: /下级覆盖/ });
  readonly suggestButton = () => this.page.getByRole('button', { name: '生成分配建议' });
  readonly suggestions = () => this.page.getByRole('region', { name: '分配建议' });
  readonly suggestionBoxes = () => this.suggestions().getByRole('listitem').getByRole('checkbox');
  readonly acceptButton = () => this.page.getByRole('button', { name: /采纳所选/ });
  readonly importLink = () => this.page.getByRole('link', { name: '批量导入联户关系' });
  readonly rosterLink = () => this.page.getByRole('link', { name: '导出联户名册（Excel）' });
  /** After one click: 「XX户 已分配给 YY」 with 撤销; after 撤销: 「已撤销：XX户 回到未联系」. */
  readonly assignedNotice = () => this.page.getByRole('status').filter({ hasText: /已分配给|已撤销/ });
  readonly undoButton = (name: string) => this.page.getByRole('button', { name: `撤销分配${name}` });
  readonly accepted = () => this.page.getByRole('status').filter({ hasText: /已采纳/ });

  /** 导出联户名册: the downloaded file's name and bytes. */
  async downloadRoster(): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 60_000 }), this.rosterLink().click()]);
    return { name: download.suggestedFilename(), bytes: await readDownload(download) };
  }

  async open(code: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(code)}/coverage`);
    await this.waitForLoaded();
  }

  async waitForLoaded() {
    await this.heading().or(this.notFound()).first().waitFor();
  }

  /** The numbers as shown now: 住户 已联系 / 未联系 and the rate (0..1). */
  async numbers(): Promise<{ linked: number; unlinked: number; rate: number }> {
    const [linked, unlinked, rate] = await Promise.all([
      this.linked().textContent(),
      this.unlinked().textContent(),
      this.householdRate().getAttribute('data-rate'),
    ]);
    return { linked: Number(linked), unlinked: Number(unlinked), rate: Number(rate) };
  }

  /** Picks `member` for the unlinked row `name`, presses 确认 and waits for the server and for the row to leave. */
  async assign(name: string, member: string): Promise<number> {
    const row = this.unlinkedRow(name);
    await chooseOption(this.page, row, `为${name}选择联户党员`, member);
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/links' && r.request().method() === 'POST');
    await row.getByRole('button', { name: `确认分配${name}` }).click();
    const res = await answer;
    if (res.ok()) await row.waitFor({ state: 'detached' });
    return res.status();
  }

  /** 撤销 of the last assignment: waits for the server and for the row to come back among 未联系. */
  async undo(name: string): Promise<number> {
    const answer = this.page.waitForResponse((r) => /^\/api\/v1\/links\/[^/]+\/undo$/.test(new URL(r.url()).pathname));
    await this.undoButton(name).click();
    const res = await answer;
    if (res.ok()) await this.unlinkedRow(name).waitFor();
    return res.status();
  }

  /** 生成分配建议 → waits for the proposals. */
  async suggest() {
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/coverage/suggestions');
    await this.suggestButton().click();
    await answer;
    await this.suggestions().waitFor();
  }

  /** 采纳所选 → waits for the batch answer and the success notice; returns the HTTP status. */
  async accept(): Promise<number> {
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/links/batch');
    await this.acceptButton().click();
    const res = await answer;
    if (res.ok()) await this.accepted().waitFor();
    return res.status();
  }
}
