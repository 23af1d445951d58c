import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

/**
 * Writes a benchmark's result as JSON and a Markdown table twice: `<history>-<timestamp>.json/.md`, the local history
 * (git-ignored, so runs do not pile up in the repository), and `<latest>.json/.md`, the figures the README quotes
 * (tracked; each run replaces them).
 */
export function writeResults<T extends { at: string }>(names: { history: string; latest: string }, result: T, md: string): void {
  const stamp = result.at.replace(/[:.]/g, '-');
  const json = JSON.stringify(result, null, 2) + '\n';
  for (const base of [`${names.history}-${stamp}`, names.latest]) {
    writeFileSync(path.join(dir, `${base}.json`), json);
    writeFileSync(path.join(dir, `${base}.md`), md);
  }
}
