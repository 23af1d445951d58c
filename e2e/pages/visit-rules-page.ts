import type { Page } from 'playwright-core';

/** 设置 › 走访规则 (/settings/visit-rules?org=): the rules in force, where each comes from, set / revert. */
export class VisitRulesPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { level: 1, name: '走访规则' });
  readonly org = () => this.page.getByTestId('rules-org');
  readonly rules = () => this.page.getByRole('region', { name: '现行规则' });
  /** A rule row by kind and tag ('' = all of the kind, '*' = any vulnerable tag). */
  readonly rule = (kind: string, tag = '') => this.page.getByTestId(`rule-${kind}-${tag || 'all'}`);
  readonly children = () => this.page.getByRole('region', { name: /各(镇|村).*的规则/ });
  readonly dialog = () => this.page.getByRole('dialog');

  async open(orgCode?: string) {
    await this.page.goto(`/settings/visit-rules${orgCode ? `?org=${encodeURIComponent(orgCode)}` : ''}`);
    await this.org().waitFor();
  }

  /** 修改 the rule named `name` (e.g. 住户（全部）): period and minimum, then 保存. */
  async edit(name: string, v: { period: '每周' | '每月'; minVisits: number; channels?: string[] }) {
    await this.page.getByRole('button', { name: `修改${name}的走访规则` }).click();
    const d = this.dialog();
    await d.getByRole('radio', { name: v.period }).check();
    await d.getByLabel('至少走访（次）').fill(String(v.minVisits));
    if (v.channels) {
      await d.getByRole('radio', { name: '仅限所选方式' }).check();
      for (const c of ['入户', '夜访', '电话', '微信', '视频']) {
        const box = d.getByRole('checkbox', { name: c });
        if ((await box.isChecked()) !== v.channels.includes(c)) await box.click();
      }
    }
    await d.getByRole('button', { name: '保存' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  async revert(name: string) {
    await this.page.getByRole('button', { name: `${name}恢复沿用上级` }).click();
    await this.page.getByRole('tooltip').getByRole('button', { name: '恢复' }).click();
  }
}
