import type { Page } from 'playwright-core';

/** 设置 (/settings): the hub's cards. */
export class SettingsHubPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '设置' });
  /** A card is one link: its title, then its description. */
  readonly card = (title: string) => this.page.getByRole('link', { name: new RegExp(`^${title}`) });

  async open() {
    await this.page.goto('/settings');
    await this.heading().waitFor();
  }
}

/** 目标联户数 (/settings/target-load?org=): the org's value with its source, its children and the overrides. */
export class TargetLoadPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '目标联户数' });
  readonly current = () => this.page.getByTestId('target-current');
  readonly children = () => this.page.getByRole('region', { name: /各(镇|村)/ });
  readonly row = (code: string) => this.page.getByTestId(`target-${code}`).first();
  readonly childRows = () => this.children().getByTestId(/^target-/);
  readonly dialog = () => this.page.getByRole('dialog');

  async open(orgCode?: string) {
    await this.page.goto(`/settings/target-load${orgCode ? `?org=${encodeURIComponent(orgCode)}` : ''}`);
    await this.current().waitFor();
  }

  /** Opens the child's 设置 dialog (by the org's name), sets min–max and saves. */
  async setChild(name: string, min: number, max: number) {
    await this.children().getByRole('button', { name: `设置${name}的目标联户数` }).click();
    await this.fill(min, max);
  }

  async fill(min: number, max: number) {
    const d = this.dialog();
    await d.getByLabel('最少（户）').fill(String(min));
    await d.getByLabel('最多（户）').fill(String(max));
    await d.getByRole('button', { name: '保存' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  async clearChild(name: string) {
    await this.children().getByRole('button', { name: `设置${name}的目标联户数` }).click();
    await this.dialog().getByRole('button', { name: '恢复沿用上级' }).click();
    await this.dialog().waitFor({ state: 'hidden' });
  }
}

/** 困难群体标签 (/settings/tags). */
export class TagsPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '困难群体标签' });
  readonly tag = (code: string) => this.page.getByTestId(`tag-${code}`);
  readonly dialog = () => this.page.getByRole('dialog');
  readonly error = () => this.page.getByRole('alert');

  async open() {
    await this.page.goto('/settings/tags');
    await this.heading().waitFor();
  }

  async add(code: string, name: string) {
    await this.page.getByRole('button', { name: '新增标签' }).click();
    const d = this.dialog();
    await d.getByLabel(/^标签代码/).fill(code);
    await d.getByLabel('显示名称').fill(name);
    await d.getByRole('button', { name: '保存' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  /** Adds an alias in the tag's 修改 dialog (typed, then Enter) and saves. */
  async addAlias(name: string, alias: string) {
    await this.page.getByRole('button', { name: `修改${name}` }).click();
    const d = this.dialog();
    await d.getByLabel(/^别名/).fill(alias);
    await d.getByLabel(/^别名/).press('Enter');
    await d.getByRole('button', { name: '保存' }).click();
  }

  async retire(name: string) {
    await this.page.getByRole('button', { name: `停用${name}` }).click();
  }

  async remove(name: string) {
    await this.page.getByRole('button', { name: `删除${name}` }).click();
    await this.page.getByRole('tooltip').getByRole('button', { name: '删除' }).click();
  }
}

/** 调整 on a town's or village's page: the restructure dialog with the server's preview. */
export class RestructureDialog {
  constructor(readonly page: Page) {}

  readonly open = () => this.page.getByRole('button', { name: '调整', exact: true });
  readonly dialog = () => this.page.getByRole('dialog');
  readonly preview = () => this.dialog().getByRole('region', { name: '调整预览' });

  async choose(kind: '改名' | '划归其他镇（街道）' | '并入本镇其他村（社区）') {
    await this.dialog().getByRole('radio', { name: kind }).check();
  }

  async requestPreview() {
    await this.dialog().getByRole('button', { name: '预览' }).click();
    await this.preview().waitFor();
  }
}
