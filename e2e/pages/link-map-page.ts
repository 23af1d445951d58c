import type { Page } from 'playwright-core';
import { readDownload } from '../src/download.ts';

/** /orgs/:code/link-map — the village's 联户示意图 (SVG on screen, PDF download) and 联系卡 printing. */
export class LinkMapPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#map-title');
  readonly map = () => this.page.getByRole('img', { name: /联户示意图/ });
  readonly pdfButton = () => this.page.getByRole('link', { name: /下载 PDF/ });
  readonly cardsButton = () => this.page.getByRole('button', { name: '打印全村联系卡' });
  /** Narrow screens: the map as a list per member, by grid. */
  readonly memberList = () => this.page.getByRole('region', { name: '联户名单' });
  readonly memberCard = (name: string) => this.memberList().getByRole('group', { name, exact: true });
  readonly confirmButton = () => this.page.getByRole('button', { name: '确定生成' });
  readonly cardsResult = () => this.page.getByRole('status').filter({ hasText: /联系卡已生成/ });

  async open(code: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(code)}/link-map`);
    await this.heading().waitFor();
  }

  /** Waits until the SVG map has loaded and returns its natural size in CSS pixels (0 × 0 when it failed). */
  async mapSize(): Promise<{ width: number; height: number }> {
    const img = this.map();
    await img.waitFor();
    await this.page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
    return img.evaluate((el) => ({ width: (el as HTMLImageElement).naturalWidth, height: (el as HTMLImageElement).naturalHeight }));
  }

  async downloadPdf(): Promise<{ name: string; bytes: Buffer }> {
    return this.download(() => this.pdfButton().click());
  }

  /** 打印全村联系卡 → 生成 (confirm that old cards are revoked) → the PDF. */
  async printCards(): Promise<{ name: string; bytes: Buffer }> {
    // The cards are issued and rendered on the server before the browser sees a byte (a whole village in one PDF): wait
    // for that answer with a generous bound on a loaded CI machine, and say what the server answered if it refused.
    const answer = this.page.waitForResponse((r) => r.url().endsWith('/contact-cards') && r.request().method() === 'POST', { timeout: 60_000 });
    const download = this.page.waitForEvent('download', { timeout: 60_000 });
    await this.cardsButton().click();
    await this.confirmButton().click();
    const res = await answer;
    if (!res.ok()) throw new Error(`contact cards: HTTP ${res.status()} ${await res.text()}`);
    const d = await download;
    await this.cardsResult().waitFor();
    return { name: d.suggestedFilename(), bytes: await readDownload(d) };
  }

  private async download(act: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
    const [d] = await Promise.all([this.page.waitForEvent('download'), act()]);
    return { name: d.suggestedFilename(), bytes: await readDownload(d) };
  }
}
