import type { Page } from 'playwright-core';

/**
 * The links a user can follow from what a page shows: the header's brand and account links, the 主导航 menu (a side
 * menu on a desktop, in the menu drawer on a phone), and the links in the page's main content (work-area cards, lists, breadcrumbs). Same-origin pages only — never downloads, API files (exports,
 * print PDFs), new windows, tel:/mailto: or the login page (a link there would end the crawl's session).
 */
export class AppNavigation {
  constructor(readonly page: Page) {}

  async reachableLinks(): Promise<string[]> {
    const hrefs = await this.page.locator('header a[href], nav a[href], main a[href]').evaluateAll((as) =>
      as
        .filter((a) => !a.hasAttribute('download') && (a.getAttribute('target') ?? '_self') === '_self')
        .map((a) => (a as HTMLAnchorElement).href),
    );
    const origin = new URL(this.page.url()).origin;
    const out = new Set<string>();
    for (const href of hrefs) {
      const u = new URL(href);
      if (u.origin !== origin || u.pathname.startsWith('/api/') || u.pathname.startsWith('/login')) continue;
      if (/\.(pdf|xlsx|csv|svg|png)$/i.test(u.pathname)) continue;
      out.add(u.pathname + u.search);
    }
    return [...out];
  }
}

/**
 * A page's kind, so a crawl visits each kind once: org codes become their level (the zone 419001000000, a town
 * 4190011xx000, a village; internal codes by their suffix letter: -D department, -G grid, -U unit, -O office), ids
 * become :id, and query values are dropped (the keys stay: a filtered list is a page of its own).
 */
export function pageKind(pathAndQuery: string): string {
  const u = new URL(pathAndQuery, 'http://x');
  const segs = u.pathname.split('/').map((s) => {
    const d = decodeURIComponent(s);
    if (/^\d{6}0{6}$/.test(d)) return ':zone';
    if (/^\d{9}0{3}$/.test(d)) return ':town';
    if (/^\d{12}$/.test(d)) return ':village';
    const internal = /^\d{12}-([A-Z])/.exec(d);
    if (internal) return `:org-${internal[1]}`;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(d)) return ':id';
    return d;
  });
  const keys = [...new Set(u.searchParams.keys())].sort();
  return segs.join('/') + (keys.length ? `?${keys.join('&')}` : '');
}
