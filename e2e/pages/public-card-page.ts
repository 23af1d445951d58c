import type { Page } from 'playwright-core';

/** /c/:token — what a 联系卡's QR opens: the constituent's member, for residents without an account. */
export class PublicCardPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.getByRole('heading', { name: '党群连心卡' });
  readonly memberName = () => this.page.getByRole('heading', { level: 2 });
  readonly callButton = () => this.page.getByRole('link', { name: /^拨打 / });
  /** The branch's published number (live and void cards). */
  readonly branchCallButton = () => this.page.getByRole('link', { name: /^拨打.+电话/ });

  async open(path: string) {
    await this.page.goto(path);
    await this.heading().waitFor();
    await this.memberName().or(this.page.getByText(/已作废|无效|暂未安排/)).first().waitFor();
  }
}
