import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page, Request, Response } from 'playwright-core';

/** axe-core from node_modules (never downloaded), injected before any page script so the page's CSP does not apply. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Rules that fail a page: every serious or critical axe violation (WCAG 2.1 A/AA and best practices), plus two
 * moderate ones issue 8 named — one h1 per page and headings in order.
 */
const ALSO_FAIL = new Set(['page-has-heading-one', 'heading-order']);

/** A same-origin request that may fail on a given page: the login page asks who is logged in (401) before login. */
export interface ExpectedFailure { path: RegExp; status: number }

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

/**
 * Watches one browser context for what a user should never meet: console errors and warnings, uncaught page
 * errors, same-origin requests answered ≥ 400 (unless expected), visible error alerts, and axe violations.
 * `problems` collects human-readable lines: page, rule and selectors, so a failure says where to look.
 */
export class PageAudit {
  readonly problems: string[] = [];
  private current = '';
  private inflight = 0;
  private expected: ExpectedFailure[] = [];

  private constructor(private readonly origin: string) {}

  static async attach(context: BrowserContext, baseURL: string): Promise<PageAudit> {
    const audit = new PageAudit(new URL(baseURL).origin);
    await context.addInitScript({ content: axeSource });
    for (const page of context.pages()) audit.watch(page);
    context.on('page', (p) => audit.watch(p));
    return audit;
  }

  private watch(page: Page) {
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      // Chromium reports every failed request as a console error too; the response check below judges those.
      if (m.text().startsWith('Failed to load resource')) return;
      this.problems.push(`${this.current}: console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.problems.push(`${this.current}: uncaught ${e.name}: ${e.message}`));
    const sameOrigin = (r: Request) => r.url().startsWith(this.origin);
    page.on('request', (r) => sameOrigin(r) && this.inflight++);
    page.on('requestfinished', (r) => sameOrigin(r) && this.inflight--);
    page.on('requestfailed', (r) => {
      if (!sameOrigin(r)) return;
      this.inflight--;
      // An aborted request on navigation away is not a failure the user sees.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') this.problems.push(`${this.current}: request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (res: Response) => {
      if (!res.url().startsWith(this.origin) || res.status() < 400) return;
      const path = new URL(res.url()).pathname;
      if (this.expected.some((e) => e.status === res.status() && e.path.test(path))) return;
      this.problems.push(`${this.current}: ${res.request().method()} ${path} answered ${res.status()}`);
    });
  }

  /**
   * Opens `path`, waits until the page is quiet (no same-origin request in flight, no spinner or skeleton) and checks
   * it. `label` names the page in problems (role, viewport, path). Once the app is loaded, `inApp` navigates inside
   * it (history.pushState + popstate, which the router follows, as after a click) instead of reloading every script.
   */
  async visit(page: Page, path: string, label: string, expected: ExpectedFailure[] = [], inApp = false): Promise<void> {
    this.current = label;
    this.expected = expected;
    // The address the app showed before (web/src/app/router.tsx RouteRoot): after an in-app navigation the previous
    // page stays on screen until the next one is loaded, and must not be checked in its place.
    let shownBefore: string | null = null;
    if (inApp) {
      shownBefore = await page.evaluate((p) => {
        const before = document.documentElement.dataset.shownPath ?? null;
        history.pushState(null, '', p);
        dispatchEvent(new PopStateEvent('popstate'));
        return before;
      }, path);
      if (shownBefore === path) shownBefore = null;
    } else {
      await page.goto(path);
    }
    await this.settle(page, shownBefore);
    await this.check(page);
  }

  private async settle(page: Page, shownBefore: string | null = null) {
    const deadline = Date.now() + 15_000;
    let quietSince = 0;
    while (Date.now() < deadline) {
      // A lazy route still loading shows no spinner, only an empty fallback: every page has an h1 (axe requires it),
      // so none yet means not settled — checked too early, a slow chunk read as "page has no heading".
      const busy = this.inflight > 0 || (await page.locator('.ant-spin-spinning, .ant-skeleton, .ant-card-loading-content').count()) > 0
        || (await page.locator('h1').count()) === 0
        || (shownBefore !== null && (await page.evaluate(() => document.documentElement.dataset.shownPath ?? null)) === shownBefore);
      if (busy) quietSince = 0;
      else if (!quietSince) quietSince = Date.now();
      else if (Date.now() - quietSince >= 250) return this.finishAnimations(page);
      await page.waitForTimeout(50);
    }
    this.problems.push(`${this.current}: still loading after 15 s`);
  }

  /**
   * Colours mid-transition are not the page's colours: axe measured a link fading in at 1.35:1 on a loaded CI machine.
   * Wait for the finite CSS animations and transitions to end (spinners run forever and are skipped), at most 3 s.
   */
  private async finishAnimations(page: Page) {
    await page.evaluate(() => {
      const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
      return Promise.race([
        Promise.all(finite.map((a) => a.finished.catch(() => undefined))),
        new Promise((resolve) => setTimeout(resolve, 3000)),
      ]);
    });
  }

  private async check(page: Page) {
    const alerts = page.locator('.ant-alert-error:visible, .ant-result-error:visible, .ant-result-500:visible').or(page.getByText('加载失败').locator('visible=true'));
    for (const text of await alerts.allInnerTexts()) this.problems.push(`${this.current}: error shown: ${text.replace(/\s+/g, ' ').trim()}`);
    const result = (await page.evaluate(`axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })`)) as AxeResult;
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical' && !ALSO_FAIL.has(v.id)) continue;
      const nodes = v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`);
      const more = v.nodes.length > 5 ? ` … and ${v.nodes.length - 5} more` : '';
      this.problems.push(`${this.current}: axe ${v.id} [${v.impact}] ${v.help}: ${nodes.join('; ')}${more}`);
    }
  }
}
