import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Never let a browser phone home or update itself during tests; --disable-quic keeps traffic on plain HTTP/TCP.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** CHROME_PATH, then a system Chromium/Chrome, then the Chromium shipped in @sparticuz/chromium. Never downloads. */
export async function findBrowser(): Promise<string> {
  const tried: string[] = [];
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} does not exist. Point it at a Chromium/Chrome executable or unset it.`);
  }
  for (const p of SYSTEM_BROWSERS) {
    if (existsSync(p)) return p;
    tried.push(p);
  }
  try {
    const { default: sparticuz } = await import('@sparticuz/chromium');
    const p = await sparticuz.executablePath();
    if (p && existsSync(p)) return p;
    tried.push(`@sparticuz/chromium (${p || 'no path'})`);
  } catch (e) {
    tried.push(`@sparticuz/chromium (${(e as Error).message})`);
  }
  throw new Error(
    `No Chromium found for the browser tests. Tried: CHROME_PATH (unset), ${tried.join(', ')}.\n` +
      'Install one (Debian: apt-get install -y chromium fonts-noto-cjk) or set CHROME_PATH. Tests never download a browser.',
  );
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A fresh headless browser with its own profile directory (no cookies shared between sessions), deleted at close —
 * or, given `userDataDir`, the browser reopened on that profile (the offline spec: a tab closed and the app opened
 * again on the same phone), which close() leaves for the caller to delete.
 */
export async function openBrowser(opts: { baseURL: string; viewport?: { width: number; height: number }; isMobile?: boolean; userDataDir?: string }): Promise<BrowserSession> {
  const executablePath = await findBrowser();
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'lianxin-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: ARGS,
    baseURL: opts.baseURL,
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    isMobile: opts.isMobile,
    hasTouch: opts.isMobile,
    deviceScaleFactor: opts.isMobile ? 2 : 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      if (!opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
