import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findBrowser } from './browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    xssOrgCode: string;
  }
}

function startServer(): Promise<{ child: ChildProcess; url: string; xssOrgCode: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'server-process.ts')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('e2e: the test server did not start within 120 s'));
    }, 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const msg = JSON.parse(line) as { ready?: boolean; url: string; xssOrgCode: string };
          if (msg.ready) {
            clearTimeout(timer);
            resolve({ child, url: msg.url, xssOrgCode: msg.xssOrgCode });
          }
        } catch {
          // partial line; wait for more
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`e2e: the test server exited with code ${code} before it was ready`));
    });
  });
}

export default async function setup(project: TestProject) {
  // Fail before anything else when there is no browser: a missing browser is a failure, never a skip.
  const browser = await findBrowser();
  console.log(`[e2e] browser: ${browser}`);
  // E2E_BASE_URL: test a server that is already running (it must have the demo accounts and the markup-named org).
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide('baseURL', external);
    project.provide('xssOrgCode', process.env.E2E_XSS_ORG_CODE ?? '419001000000-U03');
    return;
  }
  if (!existsSync(path.join(root, 'web/dist/index.html'))) {
    console.log('[e2e] web/dist missing — building the web app');
    execSync('npm run build -w web', { cwd: root, stdio: 'inherit' });
  }
  const server = await startServer();
  console.log(`[e2e] server: ${server.url}`);
  project.provide('baseURL', server.url);
  project.provide('xssOrgCode', server.xssOrgCode);
  return async () => {
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        server.child.kill('SIGKILL');
        resolve();
      }, 20_000);
      server.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      server.child.stdin!.end();
    });
  };
}
