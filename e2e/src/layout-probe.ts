import type { Page } from 'playwright-core';

export interface LayoutReport {
  scrollWidth: number;
  clientWidth: number;
  /** Visible buttons, links and inputs shorter than 44 CSS px. */
  smallTargets: { tag: string; text: string; height: number }[];
  /** Visible text whose computed font size is below 14 px. */
  smallText: { text: string; fontSize: number }[];
  targetsChecked: number;
}

/**
 * Measures the page as a phone user meets it. Tap targets are buttons, links, inputs and ARIA buttons/links/tree
 * items; an input inside antd's affix wrapper (password field with its eye icon) or inside an antd Select (whose
 * search input is a 22 px line inside the 44 px box) is measured by the wrapper, which is what receives the tap and
 * focuses the input.
 */
export function probeLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
    };
    const se = document.scrollingElement!;
    const targets = [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=treeitem]')]
      .filter(visible);
    const smallTargets = targets
      .map((el) => {
        const box = el.closest('.ant-input-affix-wrapper, .ant-select') ?? el;
        return { tag: el.tagName.toLowerCase(), text: (el.textContent || (el as HTMLInputElement).placeholder || el.getAttribute('aria-label') || '').trim().slice(0, 40), height: Math.round(box.getBoundingClientRect().height * 10) / 10 };
      })
      .filter((t) => t.height < 44);
    const smallText: { text: string; fontSize: number }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement;
      if (!text || !el || !visible(el)) continue;
      const fontSize = parseFloat(getComputedStyle(el).fontSize);
      if (fontSize < 14) smallText.push({ text: text.slice(0, 40), fontSize });
    }
    return { scrollWidth: se.scrollWidth, clientWidth: se.clientWidth, smallTargets, smallText, targetsChecked: targets.length };
  });
}
