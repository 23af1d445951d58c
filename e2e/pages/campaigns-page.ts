import type { Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';

/** /campaigns — 集中走访: the campaigns (open ones by default) and 新建集中走访. */
export class CampaignsPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '集中走访' });
  readonly createButton = () => this.page.getByRole('button', { name: '新建集中走访' });
  readonly dialog = () => this.page.getByRole('dialog');
  readonly card = (name: string) => this.page.getByRole('link', { name: new RegExp(`^${name}`) });

  async open() {
    await this.page.goto('/campaigns');
    await this.heading().waitFor();
  }

  /** Fills 新建集中走访 and creates it; the app then opens the new campaign's page. */
  async create(c: { name: string; scope: string; startsOn: string; endsOn: string; deadline?: string; awayOnly?: boolean }) {
    await this.createButton().click();
    const d = this.dialog();
    await d.getByLabel('活动名称').fill(c.name);
    await chooseOption(this.page, d, '范围', c.scope);
    await d.getByLabel('开始日期', { exact: true }).fill(c.startsOn);
    await d.getByLabel('结束日期', { exact: true }).fill(c.endsOn);
    if (c.deadline) await d.getByLabel(/^截止日期/).fill(c.deadline);
    if (c.awayOnly) await d.getByLabel('只走访有在外人员的住户').click();
    await d.getByRole('button', { name: '创建' }).click();
    await d.waitFor({ state: 'hidden' });
  }
}

/** /campaigns/:id(?org=&person=) — one campaign: its two figures, the drill-down rows and the pending list. */
export class CampaignPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#campaign-title');
  readonly totals = () => this.page.getByTestId('progress-totals');
  readonly visited = () => this.totals().getByTestId('figure-visited');
  readonly away = () => this.totals().getByTestId('figure-away');
  readonly asOf = () => this.page.getByTestId('progress-as-of');
  readonly rows = () => this.page.getByRole('region', { name: /^各/ });
  /** A drill-down row: an org (by code), a member (by person id), or 'unlinked'. */
  readonly row = (key: string) => this.page.getByTestId(`progress-${key}`);
  readonly pending = () => this.page.getByRole('region', { name: /未走访的对象/ });
  readonly pendingRow = (name: string) => this.pending().getByRole('row').filter({ hasText: name });
  readonly pendingHeading = () => this.pending().getByRole('heading', { name: /未走访的对象（共 \d+ 个）$/ });
  /** N of 「…未走访的对象（共 N 个）」 once the list has loaded (its table or 全部已走访 is shown). */
  async pendingTotal(): Promise<number> {
    await this.pending().getByRole('table').or(this.pending().getByText(/^全部已走访/)).first().waitFor();
    return Number(/共 (\d+) 个/.exec((await this.pendingHeading().textContent()) ?? '')![1]);
  }
  readonly showPending = () => this.page.getByRole('button', { name: /^查看.*全部未走访的对象$/ });
  readonly exportLink = () => this.page.getByRole('link', { name: '导出未走访名单（Excel）' });
  readonly printButton = () => this.page.getByRole('button', { name: '打印未走访名单' });
  readonly closeButton = () => this.page.getByRole('button', { name: '结束活动' });

  async open(id: string, q: { org?: string; person?: string } = {}) {
    const s = new URLSearchParams(q).toString();
    await this.page.goto(`/campaigns/${id}${s ? `?${s}` : ''}`);
    await this.totals().waitFor();
  }

  /** The id in the address (after 创建 the app navigates to the campaign). */
  async idFromUrl(): Promise<string> {
    await this.page.waitForURL(/\/campaigns\/[0-9a-f-]{36}/);
    return /\/campaigns\/([0-9a-f-]{36})/.exec(this.page.url())![1]!;
  }

  /** [visited, total] of the households-and-businesses figure shown. */
  async visitedFigures(): Promise<[number, number]> {
    const v = this.visited();
    return [Number(await v.getAttribute('data-visited')), Number(await v.getAttribute('data-total'))];
  }

  async closeCampaign() {
    await this.closeButton().click();
    await this.page.getByRole('tooltip').getByRole('button', { name: '结束' }).click();
  }
}
