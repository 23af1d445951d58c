import type { Page } from 'playwright-core';
import { readDownload } from '../src/download.ts';

/** /orgs/:code/households/import — the Excel import of households and residents. */
export class ImportPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#import-title');
  readonly limits = () => this.page.getByTestId('import-limits');
  readonly templateButton = () => this.page.getByRole('link', { name: '下载模板' });
  readonly fileInput = () => this.page.locator('input[type=file]');
  readonly uploadButton = () => this.page.getByRole('button', { name: /选择 Excel 文件/ });
  readonly uploadError = () => this.page.getByTestId('upload-error');
  readonly status = () => this.page.getByTestId('import-status');
  readonly counts = () => this.page.getByTestId('import-counts');
  readonly progress = () => this.page.getByRole('progressbar');
  readonly result = () => this.page.getByTestId('import-result');
  readonly errorsButton = () => this.page.getByRole('link', { name: '下载错误清单' });
  /** The first errors of a failed job, as a table on the page. */
  readonly errorTable = () => this.result().getByRole('table');
  /** The table's rows as their cells' text (位置, 列, 填写的内容, 原因), header excluded. */
  async errorRows(): Promise<string[][]> {
    const rows = this.errorTable().locator('tbody tr');
    return Promise.all((await rows.all()).map(async (r) => (await r.locator('td').allTextContents()).map((t) => t.trim())));
  }
  /** Why a job failed as a whole (a file that could not be read). */
  readonly failure = () => this.page.getByTestId('import-failure');
  readonly resultTemplateButton = () => this.result().getByRole('link', { name: '下载模板' });
  readonly againButton = () => this.page.getByRole('button', { name: '重新上传' });
  readonly backToList = () => this.page.getByRole('link', { name: '返回户籍列表' });

  async open(orgCode: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(orgCode)}/households/import`);
    await this.heading().waitFor();
  }

  /** The job id from the URL (?job=), or ''. */
  jobId(): string {
    return new URL(this.page.url()).searchParams.get('job') ?? '';
  }

  /** Clicks a download link and returns the downloaded bytes. */
  async download(link: ReturnType<Page['getByRole']>): Promise<{ name: string; bytes: Buffer }> {
    const [d] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return { name: d.suggestedFilename(), bytes: await readDownload(d) };
  }

  downloadTemplate() {
    return this.download(this.templateButton());
  }

  downloadErrors() {
    return this.download(this.errorsButton());
  }

  /** Sets the file on the upload input; resolves with the upload's HTTP status once the page shows the job (or an error). */
  async upload(file: { name: string; buffer: Buffer }): Promise<number> {
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/imports/households' && r.request().method() === 'POST');
    await this.fileInput().setInputFiles({ name: file.name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file.buffer });
    const status = (await answer).status();
    if (status === 202) await this.page.waitForURL((u) => u.searchParams.has('job'));
    return status;
  }

  /** Waits until the job is 导入成功 or 导入失败 and returns that text. */
  async waitForFinished(timeout = 30_000): Promise<string> {
    await this.status().filter({ hasText: /导入成功|导入失败/ }).waitFor({ timeout });
    await this.result().waitFor();
    return (await this.status().textContent())?.trim() ?? '';
  }
}
