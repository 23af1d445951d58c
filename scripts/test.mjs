// `npm test`: typecheck, lint (ESLint + the import rules), server integration suites, the web build with its bundle
// budget, and the browser tests — all of them, on whichever PostgreSQL the environment selects (embedded by default,
// DATABASE_URL otherwise) and whichever Node runs it. Ends with one line `N passed, N failed` and writes
// test-results/summary.json (with the Node version) for .ci/run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'test-results');
mkdirSync(out, { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, cwd) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function vitest(label, dir) {
  const report = path.join(out, `${label}.json`);
  rmSync(report, { force: true });
  const ok = run(label, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${report}`], path.join(root, dir));
  if (!existsSync(report)) {
    // The suite never reported (crashed during setup): count it as one failure, never as a pass.
    failed += 1;
    failures.push(`${label}: no report (setup failed)`);
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (r.numTotalTests === 0) {
    // A suite that ran nothing (setup crashed, or no files) is a failure, never a silent pass.
    failed += 1;
    failures.push(`${label}: no tests ran`);
  } else if (!ok && r.numFailedTests === 0) {
    failed += 1;
    failures.push(`${label}: exited non-zero (a file failed to load or teardown failed)`);
  }
  if (r.numFailedTests) failures.push(`${label}: ${r.numFailedTests} failed`);
}

// Every child (npx vitest, npm run …, the e2e server) finds `node` on PATH: it must be the Node running this script, or
// the version reported below would not be the one tested (.ci/run puts Node 24 first on PATH for one suite).
const node = process.version;
const onPath = spawnSync('node', ['-v'], { encoding: 'utf8', env: process.env }).stdout?.trim();
console.log(`Node ${node} (${process.execPath}); \`node\` on PATH: ${onPath ?? 'none'}`);
if (onPath === node) passed += 1;
else { failed += 1; failures.push(`node on PATH is ${onPath ?? 'missing'}, this script runs ${node}: children would test another Node`); }

// Types first: strict TypeScript (no unused locals) across server, web and e2e — one check, pass or fail.
if (run('typecheck', 'npm', ['run', 'typecheck', '-w', 'server', '-w', 'web', '-w', 'e2e'], root)) passed += 1;
else { failed += 1; failures.push('typecheck failed'); }

// Lint: ESLint (typescript-eslint, react-hooks; no warnings allowed) and the import rules of docs/ARCHITECTURE.md
// (dependency-cruiser). Both always run, so one report shows every finding; one check, pass or fail.
const eslintOk = run('lint: eslint', 'npm', ['run', 'lint:code'], root);
const importsOk = run('lint: import rules', 'npm', ['run', 'lint:imports'], root);
if (eslintOk && importsOk) passed += 1;
else { failed += 1; failures.push(`lint failed (${[!eslintOk && 'eslint', !importsOk && 'import rules'].filter(Boolean).join(', ')})`); }

// The OpenAPI document built from the route schemas, linted with Redocly's recommended rules (redocly.yaml).
if (run('openapi lint', 'npm', ['run', 'lint:openapi'], root)) passed += 1;
else { failed += 1; failures.push('openapi lint failed'); }

vitest('server', 'server');

// The web build and its bundle budget are checks like any other.
if (run('web build', 'npm', ['run', 'build', '-w', 'web'], root)) {
  passed += 1;
  if (run('bundle budget', 'npm', ['run', 'check:bundle', '-w', 'web'], root)) passed += 1;
  else { failed += 1; failures.push('bundle budget exceeded'); }
  vitest('e2e', 'e2e');
} else {
  failed += 1;
  failures.push('web build failed (bundle budget and browser tests not run)');
  failed += 1;
}

writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ node, passed, failed, failures }, null, 2));
if (failures.length) console.log(`\nFailures:\n- ${failures.join('\n- ')}`);
console.log(`\nNode ${node}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
