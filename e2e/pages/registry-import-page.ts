import type { Page } from 'playwright-core';
import { ImportPage } from './import-page.ts';

/** /orgs/:code/import/:kind — the Excel import of a registry kind (links, …); the same steps as the households import. */
export class RegistryImportPage extends ImportPage {
  constructor(page: Page, readonly kind: 'links' | 'businesses' | 'members') {
    super(page);
  }

  readonly backToCoverage = () => this.page.getByRole('link', { name: '返回联户覆盖' });

  override async open(orgCode: string) {
    await this.page.goto(`/orgs/${encodeURIComponent(orgCode)}/import/${this.kind}`);
    await this.heading().waitFor();
  }

  override async upload(file: { name: string; buffer: Buffer }): Promise<number> {
    const answer = this.page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/imports/${this.kind}` && r.request().method() === 'POST');
    await this.fileInput().setInputFiles({ name: file.name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file.buffer });
    const status = (await answer).status();
    if (status === 202) await this.page.waitForURL((u) => u.searchParams.has('job'));
    return status;
  }
}
