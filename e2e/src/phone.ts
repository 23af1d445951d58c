import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { probeLayout } from './layout-probe.ts';

export const outputDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../output');

/**
 * The phone rules every page must meet at 390×844 (issue 2): no horizontal scroll, tap targets ≥ 44 px, text ≥ 14 px.
 * Saves a full-page screenshot as output/phone-<name>.png first, so a failure can be looked at.
 */
export async function expectPhoneFriendly(page: Page, name: string): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: path.join(outputDir, `phone-${name}.png`), fullPage: true });
  const r = await probeLayout(page);
  expect(r.targetsChecked, `${name}: tap targets found`).toBeGreaterThan(0);
  expect(r.scrollWidth, `${name}: horizontal scroll`).toBeLessThanOrEqual(r.clientWidth);
  expect(r.smallTargets, `${name}: tap targets under 44 px`).toEqual([]);
  expect(r.smallText, `${name}: text under 14 px`).toEqual([]);
}
