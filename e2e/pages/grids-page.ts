import type { Page } from 'playwright-core';
import { chooseOption } from './antd-select.ts';

/** /orgs/:code/grids — a village's grids, and the 划入网格 action of the households list. */
export class GridsPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#grids-title');
  /** A grid's row: a table row on a desktop, a card of the list on a phone. */
  readonly row = (name: string) => this.page.locator('.ant-table-row, .ant-list-item').filter({ hasText: name });
  /** The 住户 count of a grid's row (a link to the households list filtered by the grid). */
  readonly householdCount = (name: string) => this.row(name).getByRole('link', { name: new RegExp(`^${name}住户 \\d+ 户$`) });
  readonly status = () => this.page.getByRole('status');
  readonly dialog = () => this.page.getByRole('dialog');

  async open(villageCode: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(villageCode)}/grids`);
    await this.heading().waitFor();
    await this.page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
  }

  /** 合并: opens the dialog on `from`, picks `into`, and returns what the dialog says will move (before confirming). */
  async startMerge(from: string, into: string): Promise<string> {
    await this.page.getByRole('button', { name: `合并 ${from}`, exact: true }).click();
    await chooseOption(this.page, this.dialog(), '并入哪个网格', into);
    return (await this.dialog().locator('.ant-alert').filter({ hasText: '将移入' }).textContent()) ?? '';
  }

  async confirmMerge(from: string, into: string) {
    await this.dialog().getByRole('button', { name: '确认合并' }).click();
    await this.status().filter({ hasText: `「${from}」已并入「${into}」` }).waitFor();
  }

  async create(name: string) {
    await this.page.getByRole('button', { name: '新建网格' }).click();
    await this.dialog().getByLabel('网格名称').fill(name);
    await this.dialog().getByRole('button', { name: '新建' }).click();
    await this.status().filter({ hasText: `已新建网格「${name}」` }).waitFor();
  }
}

/** 选择 → tick rows on a list page (households or businesses); then `assignToGrid`. */
export async function selectRows(page: Page, rowLabels: string[]): Promise<void> {
  await page.getByRole('button', { name: '选择', exact: true }).click();
  for (const label of rowLabels) await page.getByRole('checkbox', { name: `选择 ${label}` }).check();
}

/** 划入网格 for the rows selected, into `gridName`; waits for the confirmation. */
export async function assignToGrid(page: Page, gridName: string): Promise<void> {
  await page.getByRole('group', { name: '批量操作' }).getByRole('button', { name: /^划入网格/ }).click();
  const dialog = page.getByRole('dialog', { name: '划入网格' });
  await chooseOption(page, dialog, '网格', gridName);
  await dialog.getByRole('button', { name: '确定划入' }).click();
  await page.getByRole('status').filter({ hasText: `已划入「${gridName}」` }).waitFor();
}
