import type { Page } from 'playwright-core';
import { readDownload } from '../src/download.ts';

/** /handbook (the member's own) and /people/:id/handbook (from the roster) — 工作手册. */
export class HandbookPage {
  constructor(readonly page: Page) {}

  readonly navLink = () => this.page.getByRole('link', { name: '工作手册', exact: true });
  readonly heading = () => this.page.locator('#handbook-title');
  readonly byYear = () => this.page.getByText('按年', { exact: true });
  readonly pdfButton = () => this.page.getByRole('link', { name: /打印 PDF/ });
  readonly timeline = () => this.page.getByRole('region', { name: '走访记录' });
  readonly links = () => this.page.getByRole('region', { name: /联系的住户和企业商户/ });

  async open(path = '/handbook') {
    await this.page.goto(path);
    await this.heading().waitFor();
  }

  async downloadPdf(): Promise<{ name: string; bytes: Buffer }> {
    const download = this.page.waitForEvent('download', { timeout: 60_000 });
    await this.pdfButton().click();
    const d = await download;
    return { name: d.suggestedFilename(), bytes: await readDownload(d) };
  }
}
