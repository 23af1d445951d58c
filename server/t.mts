import { startEmbedded } from '/work/main/server/src/db/embedded.ts';
import pg from 'pg';
const t0 = Date.now();
const s = await startEmbedded({ dir: process.argv[2] });
console.log('started', Date.now() - t0, s.url);
const c = new pg.Client(s.url); await c.connect();
console.log((await c.query('select version()')).rows[0]); await c.end();
await s.stop(); console.log('stopped');
