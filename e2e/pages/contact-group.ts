import type { Page } from 'playwright-core';

/** 一群: the member's own on 我的账户, and how a household page shows its linked member's. */
export class ContactGroupForm {
  constructor(readonly page: Page) {}

  readonly section = () => this.page.getByRole('region', { name: '我的一群' });
  readonly name = () => this.section().getByLabel('微信群名称');
  readonly saveName = () => this.section().getByRole('button', { name: '保存群名称' });
  readonly qrInput = () => this.section().getByLabel('入群二维码图片');
  readonly qrImage = () => this.section().getByRole('img', { name: '我的一群入群二维码' });

  async open() {
    await this.page.goto('/account');
    await this.section().waitFor();
  }
}

export class HouseholdContactGroup {
  constructor(readonly page: Page) {}

  readonly links = () => this.page.getByRole('region', { name: '联户党员' });
  readonly line = () => this.links().getByTestId('contact-group');
  readonly qrImage = (member: string) => this.links().getByRole('img', { name: `${member}的一群入群二维码` });
}
