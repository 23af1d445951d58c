import type { Locator, Page } from 'playwright-core';

/**
 * Picks `option` in the antd Select labelled `label` inside `scope`, and checks that it took: under load a click can
 * land while the dropdown is still animating in and be lost (seen in parallel runs), so it tries up to three times.
 */
export async function chooseOption(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  const select = scope.locator('.ant-select').filter({ has: page.getByLabel(label) });
  for (let attempt = 0; attempt < 3; attempt++) {
    await scope.getByLabel(label).click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(option, { exact: true }).click();
    try {
      await select.filter({ hasText: option }).waitFor({ timeout: 2_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`could not choose "${option}" in the select labelled "${label}"`);
}
