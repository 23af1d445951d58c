import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { runMigrations } from '../db/migrate.ts';
import { generateDemo } from './demo/generate.ts';
import { seedBase } from './index.ts';

/** `npm run seed -- --scale demo|town|full [--seed N] [--reset]`: the real tree, demo accounts, synthetic data. */
const { values } = parseArgs({
  options: { scale: { type: 'string', default: 'demo' }, seed: { type: 'string' }, reset: { type: 'boolean', default: false } },
});
const scale = values.scale as 'demo' | 'town' | 'full';
if (!['demo', 'town', 'full'].includes(scale)) {
  process.stderr.write(`--scale must be demo, town or full (got ${values.scale})\n`);
  process.exit(2);
}
const config = loadConfig();
if (config.production) {
  process.stderr.write('refusing to generate synthetic data with NODE_ENV=production\n');
  process.exit(2);
}
const log = (m: string) => process.stdout.write(`[seed] ${m}\n`);
const database = await openDatabase(config, log);
try {
  await runMigrations(database);
  await seedBase(database.pool, config);
  const r = await generateDemo(database.pool, {
    scale, keyring: config.keyring, log, reset: values.reset, ...(values.seed ? { seed: Number(values.seed) } : {}),
  });
  log(`${scale}: ${r.members} members, ${r.helpers} helpers, ${r.households} households, ${r.residents} residents in ${(r.ms / 1000).toFixed(1)} s`);
} finally {
  await database.close();
}
