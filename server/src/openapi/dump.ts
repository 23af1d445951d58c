// `npm run lint:openapi`: writes the API's OpenAPI document (as app.swagger() builds it from the route schemas) to the
// path given, for `redocly lint`. Builds the app without listening and without a database connection: a pool is
// created but never used, and the config is a throwaway test one.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openPool } from '../db/client.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: dump.ts <openapi.json>');
const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: '/nonexistent-lianxin-openapi',
  SESSION_SECRET: randomBytes(32).toString('hex'),
  LIANXIN_KEYRING: JSON.stringify({ current: 'k', keys: { k: randomBytes(32).toString('base64') } }),
  LIANXIN_DEMO_PASSWORD: randomBytes(12).toString('hex'),
});
const database = openPool('postgres://127.0.0.1:1/none', 'url', 1);
const app = await buildApp({ config, database, logger: false });
await app.ready();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(app.swagger(), null, 2));
await app.close();
await database.close();
