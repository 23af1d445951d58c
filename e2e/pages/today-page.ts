import type { Page } from 'playwright-core';

/**
 * 今天: the member's list of whom to visit — a card on the member's home (`/`) or the page `/today[?person=]` (the
 * secretary's 代录 view of a member). Rows are groups named after the household (张三户) or business.
 */
export class TodayPage {
  constructor(readonly page: Page) {}

  readonly heading = () => this.page.locator('#today-title');
  /** The 今天 card of the member's home, or the page's list. */
  readonly list = () => this.page.getByRole('list', { name: '走访清单' });
  readonly row = (name: string) => this.list().getByRole('group', { name, exact: true });
  readonly recordButton = (name: string) => this.page.getByRole('button', { name: `记录走访 ${name}`, exact: true });
  readonly savedNote = () => this.page.getByRole('status').filter({ hasText: '的走访' });
  readonly memberPicker = () => this.page.getByRole('combobox', { name: '代录哪位党员的走访' });

  /** The member's own 今天, on their home. */
  async openHome() {
    await this.page.goto('/');
    await this.list().waitFor();
  }

  /** The secretary's view of a member (代录). */
  async openFor(personId: string) {
    await this.page.goto(`/today?person=${encodeURIComponent(personId)}`);
    await this.list().waitFor();
  }

  /** The list once loaded: the demo member holds every spec's households by the end of a run (a long 今天), and four
   *  browser specs share two cores — a CI run once needed more than the default 15 s here. */
  async waitForLoaded() {
    await this.list().waitFor({ timeout: 45_000 });
  }
}
